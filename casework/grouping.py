"""Mixed small groups ("Kleingruppen") for the case-example workshops of a practice day.

The confirmed participants of a workshop are split into small groups that work on a case example. The
module is pure (standard library only) so that the rules can be tested exhaustively without a database
and reused by views, exports and management commands alike.

Rules, in priority order
------------------------
1. ``ceil(n / group_size)`` groups whose sizes differ by at most one (hard).
2. As few pairs of colleagues from the same organisation in one group as possible: people should meet
   others, not the person from the next desk.
3. Organisation types (counselling centre, BAMF, youth welfare office, ...) mixed evenly across groups.
4. Optionally (regional events) people from the same federal state together, so that they meet their
   local counterparts - soft, never at the cost of rules 1 to 3.
5. Deterministic: the result depends on the set of members only, never on their order or on chance,
   so that staff see the same groups every time they open the page.

Algorithm
---------
*Dealing.* All members are put in one canonical sequence and dealt like cards: position ``i`` goes to
group ``i mod g``. Any run of ``k`` consecutive positions hits every group ``floor(k / g)`` or
``ceil(k / g)`` times, so every property that is a run of the sequence is spread as evenly as possible:

- the whole sequence is a run, hence rule 1;
- each organisation is a run, hence its members are split as evenly as possible over the groups. Because
  ``C(c, 2)`` is convex, the even split minimises that organisation's pairs, and as every organisation
  reaches its own minimum at the same time the total is the global optimum (rule 2);
- organisations are ordered by their type, so each type is a run too and its count per group differs by
  at most one (rule 3). This holds whenever all members of an organisation share one type, which is the
  normal case because the type belongs to the organisation. If the data says otherwise, the organisation
  still stays one run: rule 2 outranks rule 3. Members without a known organisation are runs of one.

Within a type, organisations are ordered by their most frequent federal state, which already lines up
same-state people of different types now and then, but only by coincidence of the run offsets.

*Keeping states together.* With ``keep_states_together`` the dealt groups are improved by hill climbing:
swap two members of the same type in different groups whenever that increases the number of same-state
pairs of different types (the counselling-centre worker meeting the BAMF officer of her state) without
adding a same-organisation pair. A same-type swap leaves sizes and per-group type counts unchanged, and
the dealt groups are already optimal for rule 2, so rules 1 to 3 stay exactly as dealt. The objective is
an integer that grows with every swap, so the search ends; since it starts from the dealt groups, the
result never has fewer such pairs than without the option. Gains are computed in constant time from
per-group counters, which keeps 300 members well below the 200 ms budget.

Latecomers
----------
People confirmed after the groups were formed join them with ``place_members``, which never moves anyone
already placed (a group may have met or recorded results): each newcomer, in the canonical sequence above, goes
to one of the smallest groups (rule 1: sizes stay within one of each other, or get no further apart); among
those to the one with the fewest colleagues of their organisation (rule 2), then the fewest people of their
type (rule 3), then, with ``keep_states_together``, the most people of their federal state and another type
(rule 4), then the lowest group (rule 5: the result depends on the sets of members only).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

Key = int | str


@dataclass(frozen=True, slots=True)
class Member:
    """A confirmed participant of a workshop, reduced to what the grouping needs."""

    id: int  # registration id
    organisation_type: Key
    organisation: Key | None  # None: unknown, never counted as a colleague of anyone
    federal_state: str | None  # ISO 3166-2:DE suffix such as "BE"; None: unknown


@dataclass(frozen=True, slots=True)
class Assignment:
    """Groups of member ids with the diagnostics staff need to judge them.

    ``groups`` are ordered as dealt (the larger groups first), each sorted by member id.
    """

    groups: tuple[tuple[int, ...], ...]
    same_organisation_pairs: int  # pairs of members of one organisation sharing a group
    same_state_pairs: int  # pairs of members of one federal state sharing a group
    same_state_mixed_type_pairs: int  # as above, restricted to pairs of different organisation types
    type_spread: int  # max over types of (largest - smallest count of that type in a group)


def assign_groups(members: Sequence[Member], *, group_size: int, keep_states_together: bool = False) -> Assignment:
    """Split ``members`` into mixed small groups of about ``group_size`` people (see the module docstring).

    Raises ``ValueError`` if ``group_size`` is below two (a "group" of one cannot discuss a case) or if
    member ids are not unique (the result would be ambiguous).
    """
    if group_size < 2:
        raise ValueError(f"group_size must be at least 2, got {group_size}")
    ids = [member.id for member in members]
    if len(set(ids)) != len(ids):
        raise ValueError("member ids must be unique")
    group_count = math.ceil(len(members) / group_size)
    groups: list[list[Member]] = [[] for _ in range(group_count)]
    for position, member in enumerate(_dealing_order(members)):
        groups[position % group_count].append(member)
    if keep_states_together:
        _bring_states_together(groups)
    stats = _statistics(groups)
    return Assignment(
        groups=tuple(tuple(sorted(member.id for member in group)) for group in groups),
        same_organisation_pairs=sum(stats["same_organisation_pairs_per_group"]),
        same_state_pairs=stats["same_state_pairs"],
        same_state_mixed_type_pairs=stats["same_state_mixed_type_pairs"],
        type_spread=stats["type_spread"],
    )


def _order(value: Key | None) -> tuple[int, Key]:
    """Sort key for ints, strings and None together; they are not comparable with each other."""
    if value is None:
        return (2, 0)
    if isinstance(value, str):
        return (1, value)
    return (0, value)


def _most_common(values: Sequence[Key | None]) -> Key | None:
    """Most frequent known value, ties broken by sort order; None if no value is known."""
    counts = Counter(value for value in values if value is not None)
    return min(counts, key=lambda value: (-counts[value], _order(value)), default=None)


def _dealing_order(members: Sequence[Member]) -> list[Member]:
    """Return the canonical sequence: organisations as runs, ordered by type and state (see module docstring).

    The sort keys end in member ids, which are unique, so the input order cannot leak into the result.
    """
    blocks: dict[tuple[int, Key], list[Member]] = defaultdict(list)
    for member in members:
        # A member of an unknown organisation forms a block of its own; ids cannot clash with organisation
        # keys because of the leading tag.
        tag = (0, member.organisation) if member.organisation is not None else (1, member.id)
        blocks[tag].append(member)

    def block_key(item: tuple[tuple[int, Key], list[Member]]) -> tuple[Any, ...]:
        (kind, key), block = item
        return (
            _order(_most_common([member.organisation_type for member in block])),
            _order(_most_common([member.federal_state for member in block])),
            kind,
            _order(key),
        )

    order: list[Member] = []
    for _, block in sorted(blocks.items(), key=block_key):
        order.extend(sorted(block, key=lambda m: (_order(m.organisation_type), _order(m.federal_state), m.id)))
    return order


def _bring_states_together(groups: list[list[Member]]) -> None:
    """Hill-climb with same-type swaps towards more same-state pairs of different types, in place.

    Candidate pairs are visited in id order and the first improving swap is taken, which keeps the
    search deterministic.
    """
    where = {member.id: index for index, group in enumerate(groups) for member in group}
    state_count = [Counter(m.federal_state for m in group) for group in groups]
    state_type_count = [Counter((m.federal_state, m.organisation_type) for m in group) for group in groups]
    organisation_count = [Counter(m.organisation for m in group) for group in groups]

    def others_of_state(group: int, state: str | None, member_type: Key) -> int:
        """Members of ``state`` in ``group`` whose type differs from ``member_type``."""
        if state is None:
            return 0
        return state_count[group][state] - state_type_count[group][state, member_type]

    def organisation_pair_delta(x: Member, a: int, y: Member, b: int) -> int:
        """Change of same-organisation pairs if ``x`` (in group ``a``) and ``y`` (in ``b``) swap."""
        if x.organisation == y.organisation:
            return 0
        delta = 0
        if x.organisation is not None:
            delta += organisation_count[b][x.organisation] - (organisation_count[a][x.organisation] - 1)
        if y.organisation is not None:
            delta += organisation_count[a][y.organisation] - (organisation_count[b][y.organisation] - 1)
        return delta

    def move(member: Member, source: int, target: int) -> None:
        for counter, key in (
            (state_count, member.federal_state),
            (state_type_count, (member.federal_state, member.organisation_type)),
            (organisation_count, member.organisation),
        ):
            counter[source][key] -= 1
            counter[target][key] += 1
        groups[source].remove(member)
        groups[target].append(member)
        where[member.id] = target

    by_type: dict[Key, list[Member]] = defaultdict(list)
    for member in sorted((m for group in groups for m in group), key=lambda m: m.id):
        by_type[member.organisation_type].append(member)
    candidates = [same_type for same_type in by_type.values() if len(same_type) > 1]

    improved = True
    while improved:
        improved = False
        for same_type in candidates:
            for index, x in enumerate(same_type):
                for y in same_type[index + 1 :]:
                    a, b = where[x.id], where[y.id]
                    if a == b or x.federal_state == y.federal_state:
                        continue
                    member_type = x.organisation_type
                    gain = (
                        others_of_state(a, y.federal_state, member_type)
                        - others_of_state(a, x.federal_state, member_type)
                        + others_of_state(b, x.federal_state, member_type)
                        - others_of_state(b, y.federal_state, member_type)
                    )
                    # The dealt groups are optimal for rule 2, so a swap can keep the number of
                    # same-organisation pairs at best; accept only those that do.
                    if gain > 0 and organisation_pair_delta(x, a, y, b) == 0:
                        move(x, a, b)
                        move(y, b, a)
                        improved = True


def _statistics(groups: Sequence[Sequence[Member]]) -> dict[str, Any]:
    """Pair counts and type distribution of groups (the diagnostics of an ``Assignment``)."""
    organisation_pairs: list[int] = []
    state_pairs = mixed_state_pairs = 0
    type_counts: list[dict[Key, int]] = []
    for group in groups:
        organisation_pairs.append(
            sum(math.comb(c, 2) for org, c in Counter(m.organisation for m in group).items() if org is not None)
        )
        by_state = Counter(m.federal_state for m in group if m.federal_state is not None)
        by_state_type = Counter((m.federal_state, m.organisation_type) for m in group if m.federal_state is not None)
        same_state = sum(math.comb(c, 2) for c in by_state.values())
        state_pairs += same_state
        mixed_state_pairs += same_state - sum(math.comb(c, 2) for c in by_state_type.values())
        counts = Counter(m.organisation_type for m in group)
        type_counts.append({key: counts[key] for key in sorted(counts, key=_order)})
    all_types = {key for counts in type_counts for key in counts}
    type_spread = max(
        (max(c.get(key, 0) for c in type_counts) - min(c.get(key, 0) for c in type_counts) for key in all_types),
        default=0,
    )
    return {
        "type_counts": type_counts,
        "same_organisation_pairs_per_group": organisation_pairs,
        "same_state_pairs": state_pairs,
        "same_state_mixed_type_pairs": mixed_state_pairs,
        "type_spread": type_spread,
    }


def place_members(
    groups: Sequence[Sequence[Member]], newcomers: Sequence[Member], *, keep_states_together: bool = False
) -> dict[int, int]:
    """Put ``newcomers`` into the existing ``groups`` without moving anyone (see "Latecomers" above).

    Returns the index into ``groups`` for each newcomer's id. Raises ``ValueError`` if there are newcomers but no
    groups, or if member ids (of groups and newcomers together) are not unique.
    """
    ids = [member.id for group in groups for member in group] + [member.id for member in newcomers]
    if len(set(ids)) != len(ids):
        raise ValueError("member ids must be unique")
    if not newcomers:
        return {}
    if not groups:
        raise ValueError("there is no group to place members in")
    sizes = [len(group) for group in groups]
    organisation_count = [Counter(m.organisation for m in group if m.organisation is not None) for group in groups]
    type_count = [Counter(m.organisation_type for m in group) for group in groups]
    state_count = [Counter(m.federal_state for m in group if m.federal_state is not None) for group in groups]
    state_type_count = [
        Counter((m.federal_state, m.organisation_type) for m in group if m.federal_state is not None)
        for group in groups
    ]

    def fit(index: int, member: Member) -> tuple[int, int, int, int]:
        colleagues = organisation_count[index][member.organisation] if member.organisation is not None else 0
        counterparts = 0
        if keep_states_together and member.federal_state is not None:
            counterparts = (
                state_count[index][member.federal_state]
                - state_type_count[index][member.federal_state, member.organisation_type]
            )
        return (colleagues, type_count[index][member.organisation_type], -counterparts, index)

    placed: dict[int, int] = {}
    for member in _dealing_order(newcomers):
        smallest = min(sizes)
        index = min((i for i, size in enumerate(sizes) if size == smallest), key=lambda i: fit(i, member))
        placed[member.id] = index
        sizes[index] += 1
        type_count[index][member.organisation_type] += 1
        if member.organisation is not None:
            organisation_count[index][member.organisation] += 1
        if member.federal_state is not None:
            state_count[index][member.federal_state] += 1
            state_type_count[index][member.federal_state, member.organisation_type] += 1
    return placed
