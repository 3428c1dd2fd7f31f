"""Who may see what of an event. One place for the rules, used by views, the admin and the PDFs."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from kokportal.roles import acts_as_staff

from .enums import TeamRole
from .models import Event, EventTeamMember


def is_staff(user) -> bool:
    """Acting as staff: a staff account in a session that passed the second factor (kokportal.roles)."""
    return acts_as_staff(user)


def team_roles(user, event: Event) -> set[str]:
    if not user or isinstance(user, AnonymousUser) or not user.is_authenticated:
        return set()
    return set(EventTeamMember.objects.filter(event=event, user=user).values_list("role", flat=True))


def is_facilitator(user, event: Event) -> bool:
    """A facilitator of the event (team role) or of one of its workshops."""
    if not user or not user.is_authenticated:
        return False
    return TeamRole.FACILITATOR in team_roles(user, event) or event.workshops.filter(facilitators=user).exists()


def is_event_team(user, event: Event) -> bool:
    """Co-organisers and facilitators of this event."""
    if not user or not user.is_authenticated:
        return False
    return bool(team_roles(user, event)) or event.workshops.filter(facilitators=user).exists()


def can_view_event_documents(user, event: Event) -> bool:
    """Documentation PDF and printables (participant list, sign-in sheet, badges)."""
    return is_staff(user) or is_event_team(user, event)
