"""Tests for the small-group assignment of case-example workshops (casework.grouping).

The properties are checked against counts computed here from the raw groups, independently of the
module's own diagnostics, so a bug in those diagnostics cannot hide a bug in the assignment.
"""

import math
import random
from collections import Counter
from itertools import combinations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casework.grouping import Assignment, Member, assign_groups, place_members

# Int and str keys mixed on purpose: they are not comparable, so sorting them naively would crash.
TYPES: tuple[int | str, ...] = ("FBS", "BAMF", "JUGENDAMT", 4, 5)
STATES = ("BE", "HH", "NI", "SN", None)
ORGANISATIONS = st.one_of(st.none(), st.integers(0, 8), st.sampled_from(["kok", "bamf"]))
GROUP_SIZES = st.integers(2, 8)


@st.composite
def member_lists(draw: st.DrawFn, *, single_type_organisations: bool = False) -> list[Member]:
    """Members with unique ids; optionally every organisation has one type, as in the real data."""
    ids = draw(st.lists(st.integers(1, 10_000), unique=True, max_size=40))
    organisation_types: dict[int | str, int | str] = {}
    members = []
    for member_id in ids:
        organisation = draw(ORGANISATIONS)
        if single_type_organisations and organisation is not None:
            if organisation not in organisation_types:
                organisation_types[organisation] = draw(st.sampled_from(TYPES))
            member_type = organisation_types[organisation]
        else:
            member_type = draw(st.sampled_from(TYPES))
        members.append(Member(member_id, member_type, organisation, draw(st.sampled_from(STATES))))
    return members


def by_id(members: list[Member]) -> dict[int, Member]:
    return {member.id: member for member in members}


def same_organisation_pairs(groups: tuple[tuple[int, ...], ...], members: list[Member]) -> int:
    lookup = by_id(members)
    return sum(
        1
        for group in groups
        for a, b in combinations(group, 2)
        if lookup[a].organisation is not None and lookup[a].organisation == lookup[b].organisation
    )


def same_state_mixed_type_pairs(groups: tuple[tuple[int, ...], ...], members: list[Member]) -> int:
    lookup = by_id(members)
    return sum(
        1
        for group in groups
        for a, b in combinations(group, 2)
        if lookup[a].federal_state is not None
        and lookup[a].federal_state == lookup[b].federal_state
        and lookup[a].organisation_type != lookup[b].organisation_type
    )


def organisation_pair_lower_bound(members: list[Member], group_count: int) -> int:
    """Each organisation alone, split as evenly as possible: no assignment can have fewer pairs."""
    total = 0
    for size in Counter(m.organisation for m in members if m.organisation is not None).values():
        per_group, larger_groups = divmod(size, group_count)
        total += larger_groups * math.comb(per_group + 1, 2) + (group_count - larger_groups) * math.comb(per_group, 2)
    return total


def type_counts(groups: tuple[tuple[int, ...], ...], members: list[Member]) -> list[dict]:
    """How many members of each organisation type every group has."""
    lookup = by_id(members)
    return [dict(sorted(Counter(lookup[i].organisation_type for i in group).items(), key=str)) for group in groups]


def type_spreads(groups: tuple[tuple[int, ...], ...], members: list[Member]) -> dict[int | str, int]:
    lookup = by_id(members)
    spreads = {}
    for member_type in {m.organisation_type for m in members}:
        counts = [sum(lookup[i].organisation_type == member_type for i in group) for group in groups]
        spreads[member_type] = max(counts) - min(counts)
    return spreads


# --- rule 1: sizes and partition ---------------------------------------------------------------


@given(members=member_lists(), group_size=GROUP_SIZES, keep_states_together=st.booleans())
def test_assign_groups_partition_property(members: list[Member], group_size: int, keep_states_together: bool) -> None:
    assignment = assign_groups(members, group_size=group_size, keep_states_together=keep_states_together)
    sizes = [len(group) for group in assignment.groups]
    assert len(assignment.groups) == math.ceil(len(members) / group_size)
    assert sorted(i for group in assignment.groups for i in group) == sorted(m.id for m in members)
    assert all(group == tuple(sorted(group)) for group in assignment.groups)
    if members:
        assert max(sizes) - min(sizes) <= 1
        assert max(sizes) <= group_size
        assert sizes == sorted(sizes, reverse=True)


# --- rule 2: colleagues apart -------------------------------------------------------------------


@given(members=member_lists(), group_size=GROUP_SIZES, keep_states_together=st.booleans())
def test_assign_groups_same_organisation_pairs_equal_lower_bound(
    members: list[Member], group_size: int, keep_states_together: bool
) -> None:
    assignment = assign_groups(members, group_size=group_size, keep_states_together=keep_states_together)
    pairs = same_organisation_pairs(assignment.groups, members)
    assert pairs == organisation_pair_lower_bound(members, len(assignment.groups))
    assert assignment.same_organisation_pairs == pairs


# --- rule 3: types mixed ------------------------------------------------------------------------


@given(
    members=member_lists(single_type_organisations=True),
    group_size=GROUP_SIZES,
    keep_states_together=st.booleans(),
)
def test_assign_groups_type_spread_at_most_one_when_each_organisation_has_one_type(
    members: list[Member], group_size: int, keep_states_together: bool
) -> None:
    assignment = assign_groups(members, group_size=group_size, keep_states_together=keep_states_together)
    spreads = type_spreads(assignment.groups, members)
    assert all(spread <= 1 for spread in spreads.values())
    assert assignment.type_spread == max(spreads.values(), default=0)


def test_assign_groups_spreads_each_type_when_everyone_is_from_another_organisation() -> None:
    members = [Member(i, ("FBS", "BAMF", "JUGENDAMT")[i % 3], i, None) for i in range(12)]
    assignment = assign_groups(members, group_size=4)
    assert type_counts(assignment.groups, members) == [
        {"BAMF": 2, "FBS": 1, "JUGENDAMT": 1},
        {"BAMF": 1, "FBS": 2, "JUGENDAMT": 1},
        {"BAMF": 1, "FBS": 1, "JUGENDAMT": 2},
    ]
    assert assignment.type_spread == 1


# --- rule 4: states together ----------------------------------------------------------------------


@given(members=member_lists(), group_size=GROUP_SIZES)
def test_assign_groups_keep_states_together_never_lowers_mixed_state_pairs(
    members: list[Member], group_size: int
) -> None:
    apart = assign_groups(members, group_size=group_size)
    together = assign_groups(members, group_size=group_size, keep_states_together=True)
    assert same_state_mixed_type_pairs(together.groups, members) >= same_state_mixed_type_pairs(apart.groups, members)
    assert together.same_state_mixed_type_pairs == same_state_mixed_type_pairs(together.groups, members)


@given(members=member_lists(), group_size=GROUP_SIZES)
def test_assign_groups_keep_states_together_keeps_rules_one_to_three(members: list[Member], group_size: int) -> None:
    apart = assign_groups(members, group_size=group_size)
    together = assign_groups(members, group_size=group_size, keep_states_together=True)
    assert [len(g) for g in together.groups] == [len(g) for g in apart.groups]
    assert type_counts(together.groups, members) == type_counts(apart.groups, members)
    assert together.same_organisation_pairs == apart.same_organisation_pairs


def test_assign_groups_pairs_each_states_counterparts_when_keep_states_together() -> None:
    counselling = [
        Member(1, "FBS", 101, "SN"),
        Member(2, "FBS", 102, "BE"),
        Member(3, "FBS", 103, "NI"),
        Member(4, "FBS", 104, "HH"),
    ]
    bamf = [
        Member(11, "BAMF", "bamf", "HH"),
        Member(12, "BAMF", "bamf", "SN"),
        Member(13, "BAMF", "bamf", "BE"),
        Member(14, "BAMF", "bamf", "NI"),
    ]
    assignment = assign_groups(counselling + bamf, group_size=2, keep_states_together=True)
    assert sorted(assignment.groups) == [(1, 12), (2, 13), (3, 14), (4, 11)]
    assert assignment.same_state_mixed_type_pairs == 4


def test_assign_groups_keep_states_together_realigns_counterparts_dealt_apart() -> None:
    # The single member of a type sorting first shifts the counselling centres by one group, so the
    # dealing alone meets nobody's counterpart. Swapping the BAMF officers reunites every state whose
    # counselling centre shares a group with a BAMF seat; Berlin's centre sits with the only other type.
    members = [
        Member(31, "AUSLAENDERBEHOERDE", 301, None),
        *(Member(10 + i, "BAMF", "bamf", state) for i, state in enumerate(("BE", "HH", "NI", "SN"))),
        *(Member(20 + i, "FBS", 200 + i, state) for i, state in enumerate(("BE", "HH", "NI", "SN"))),
    ]
    apart = assign_groups(members, group_size=2)
    together = assign_groups(members, group_size=2, keep_states_together=True)
    assert apart.groups == ((20, 31), (10, 21), (11, 22), (12, 23), (13,))
    assert apart.same_state_mixed_type_pairs == 0
    assert together.groups == ((20, 31), (11, 21), (12, 22), (13, 23), (10,))
    assert together.same_state_mixed_type_pairs == 3


# --- rule 5: determinism ----------------------------------------------------------------------------


@given(
    members=member_lists(),
    group_size=GROUP_SIZES,
    keep_states_together=st.booleans(),
    seed=st.integers(),
)
def test_assign_groups_shuffled_input_gives_identical_output(
    members: list[Member], group_size: int, keep_states_together: bool, seed: int
) -> None:
    shuffled = members.copy()
    random.Random(seed).shuffle(shuffled)
    assert assign_groups(shuffled, group_size=group_size, keep_states_together=keep_states_together) == assign_groups(
        members, group_size=group_size, keep_states_together=keep_states_together
    )


# --- edge cases ---------------------------------------------------------------------------------------


def test_assign_groups_fewer_members_than_group_size_gives_one_group() -> None:
    members = [Member(3, "FBS", 1, "BE"), Member(1, "BAMF", 2, "BE"), Member(2, "FBS", 1, "HH")]
    assignment = assign_groups(members, group_size=6)
    assert assignment == Assignment(
        groups=((1, 2, 3),),
        same_organisation_pairs=1,
        same_state_pairs=1,
        same_state_mixed_type_pairs=1,
        type_spread=0,
    )


def test_assign_groups_no_members_gives_no_groups() -> None:
    assert assign_groups([], group_size=4) == Assignment(
        groups=(), same_organisation_pairs=0, same_state_pairs=0, same_state_mixed_type_pairs=0, type_spread=0
    )


@pytest.mark.parametrize("group_size", [1, 0, -3])
def test_assign_groups_group_size_below_two_raises(group_size: int) -> None:
    with pytest.raises(ValueError, match="group_size must be at least 2"):
        assign_groups([Member(1, "FBS", 1, "BE")], group_size=group_size)


def test_assign_groups_group_size_below_two_raises_without_members() -> None:
    with pytest.raises(ValueError, match="group_size must be at least 2"):
        assign_groups([], group_size=1)


def test_assign_groups_duplicate_ids_raise() -> None:
    with pytest.raises(ValueError, match="unique"):
        assign_groups([Member(1, "FBS", 1, "BE"), Member(1, "BAMF", 2, "HH")], group_size=2)


def test_assign_groups_one_organisation_spreads_evenly() -> None:
    members = [Member(i, "FBS", "kok", "BE") for i in range(1, 11)]
    assignment = assign_groups(members, group_size=3)
    assert [len(group) for group in assignment.groups] == [3, 3, 2, 2]
    assert assignment.same_organisation_pairs == 3 + 3 + 1 + 1
    assert assignment.type_spread == 1


def test_assign_groups_unknown_organisation_never_counts_as_colleague() -> None:
    members = [Member(i, "FBS", None, None) for i in range(1, 5)]
    assignment = assign_groups(members, group_size=4, keep_states_together=True)
    assert assignment.groups == ((1, 2, 3, 4),)
    assert assignment.same_organisation_pairs == 0
    assert assignment.same_state_pairs == 0


@pytest.mark.parametrize("keep_states_together", [False, True])
def test_assign_groups_300_members_runs(keep_states_together: bool) -> None:
    rng = random.Random(300)
    states = ("BW", "BY", "BE", "BB", "HB", "HH", "HE", "MV", "NI", "NW", "RP", "SL", "SN", "ST", "SH", "TH")
    types = ("FBS", "BAMF", "JUGENDAMT", "POLIZEI", "JUSTIZ", "NGO")
    members = [Member(i, rng.choice(types), rng.randrange(120), rng.choice(states)) for i in range(300)]
    assignment = assign_groups(members, group_size=6, keep_states_together=keep_states_together)
    assert len(assignment.groups) == 50
    assert {len(group) for group in assignment.groups} == {6}
    assert assignment.same_organisation_pairs == organisation_pair_lower_bound(members, 50)


# --- latecomers: place_members ---------------------------------------------------------------------


def placed_groups(groups: list[list[Member]], placement: dict[int, int]) -> list[list[int]]:
    """The ids of each group after the placement."""
    result = [[m.id for m in group] for group in groups]
    for member_id, index in placement.items():
        result[index].append(member_id)
    return result


@given(
    members=member_lists(),
    late=st.integers(0, 40),
    group_size=GROUP_SIZES,
    keep_states_together=st.booleans(),
    seed=st.integers(),
)
def test_place_members_keeps_everyone_and_sizes_within_one(
    members: list[Member], late: int, group_size: int, keep_states_together: bool, seed: int
) -> None:
    early, newcomers = members[: len(members) - late], members[len(members) - late :]
    lookup = by_id(early)
    groups = [
        [lookup[i] for i in group]
        for group in assign_groups(early, group_size=group_size, keep_states_together=keep_states_together).groups
    ]
    if newcomers and not groups:
        with pytest.raises(ValueError, match="no group"):
            place_members(groups, newcomers, keep_states_together=keep_states_together)
        return
    placement = place_members(groups, newcomers, keep_states_together=keep_states_together)
    assert sorted(placement) == sorted(m.id for m in newcomers)
    after = placed_groups(groups, placement)
    # Nobody already placed moves, and the groups stay as even as dealing made them.
    assert [group[: len(before)] for group, before in zip(after, groups, strict=True)] == [
        [m.id for m in group] for group in groups
    ]
    if after:
        assert max(map(len, after)) - min(map(len, after)) <= 1
    shuffled = newcomers.copy()
    random.Random(seed).shuffle(shuffled)
    assert place_members(groups, shuffled, keep_states_together=keep_states_together) == placement


def test_place_members_avoids_colleagues_among_the_smallest_groups() -> None:
    groups = [[Member(1, "FBS", 10, "BE"), Member(2, "BAMF", "bamf", "BE")], [Member(3, "FBS", 11, "HH")]]
    # Group 2 is the only smallest one: size outranks colleagues (rule 1 before rule 2).
    assert place_members(groups, [Member(4, "FBS", 11, "HH")]) == {4: 1}
    groups[1].append(Member(5, "BAMF", "bamf", "HH"))
    # Both have two: the newcomer goes where no colleague of their organisation is.
    assert place_members(groups, [Member(6, "FBS", 10, "BE")]) == {6: 1}
    assert place_members(groups, [Member(6, "FBS", 11, "HH")]) == {6: 0}


def test_place_members_spreads_colleagues_arriving_together() -> None:
    groups = [[Member(i, "FBS", 100 + i, None)] for i in range(1, 4)]
    placement = place_members(groups, [Member(10 + i, "BAMF", "bamf", None) for i in range(3)])
    assert sorted(placement.values()) == [0, 1, 2]


def test_place_members_mixes_types() -> None:
    groups = [
        [Member(1, "BAMF", "bamf", None), Member(2, "BAMF", "bamf-2", None)],
        [Member(3, "BAMF", "bamf-3", None), Member(4, "FBS", 40, None)],
    ]
    assert place_members(groups, [Member(5, "BAMF", "bamf-5", None)]) == {5: 1}
    assert place_members(groups, [Member(5, "FBS", 50, None)]) == {5: 0}


def test_place_members_keeps_states_together_only_when_asked() -> None:
    groups = [
        [Member(1, "FBS", 10, "HH"), Member(2, "JUGENDAMT", 20, "HH")],
        [Member(3, "FBS", 11, "NI"), Member(4, "JUGENDAMT", 21, "NI")],
    ]
    newcomer = Member(5, "BAMF", "bamf", "NI")
    assert place_members(groups, [newcomer]) == {5: 0}
    assert place_members(groups, [newcomer], keep_states_together=True) == {5: 1}


def test_place_members_without_newcomers_places_nobody() -> None:
    assert place_members([], []) == {}
    assert place_members([[Member(1, "FBS", 1, "BE")]], []) == {}


def test_place_members_duplicate_ids_raise() -> None:
    with pytest.raises(ValueError, match="unique"):
        place_members([[Member(1, "FBS", 1, "BE")]], [Member(1, "BAMF", 2, "HH")])
