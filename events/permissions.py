"""Who belongs to an event's team. The one definition of the event roles; staff are kokportal.roles.acts_as_staff.

The team are the people listed on the event (EventTeamMember): co-organisers and facilitators. Workshop
facilitators join the team when they are assigned (casework.services.workshop_facilitators_join_team).
"""

from __future__ import annotations

from .enums import TeamRole
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
