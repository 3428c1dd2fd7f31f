"""Who belongs to an event's team. The one definition of the event roles; staff are kokportal.roles.acts_as_staff.

The team are the people listed on the event (EventTeamMember): co-organisers and facilitators. Workshop
facilitators join the team when they are assigned (casework.services.workshop_facilitators_join_team).
"""

from __future__ import annotations

from kokportal.roles import acts_as_staff

from .enums import EventStatus, MaterialVisibility, TeamRole
from .models import Event, EventTeamMember


def team_roles(user, event: Event) -> set[str]:
    """The roles ``user`` has in the event's team (none for anonymous visitors)."""
    if not user or not user.is_authenticated:
        return set()
    return set(EventTeamMember.objects.filter(event=event, user=user).values_list("role", flat=True))


def is_event_team(user, event: Event) -> bool:
    """A co-organiser or facilitator of the event."""
    return bool(team_roles(user, event))


def is_team_facilitator(user, event: Event) -> bool:
    """A facilitator in the event's team (facilitators lead the small groups of every workshop of the event)."""
    return TeamRole.FACILITATOR in team_roles(user, event)


def material_visibilities(user, event: Event, *, participant: bool) -> frozenset[str]:
    """Which materials of ``event`` (by MaterialVisibility) ``user`` may see and download. ``participant``: the
    person has a confirmed registration for the event (participants.permissions.material_visibilities_of works
    it out and calls this). Staff and the event's team see all; of a draft nobody else sees anything; registered
    participants see the public ones and those for participants; everyone else the public ones."""
    if acts_as_staff(user) or is_event_team(user, event):
        return frozenset(MaterialVisibility.values)
    if event.status not in (EventStatus.PUBLISHED, EventStatus.CANCELLED):
        return frozenset()
    if participant:
        return frozenset({MaterialVisibility.PUBLIC, MaterialVisibility.REGISTERED})
    return frozenset({MaterialVisibility.PUBLIC})
