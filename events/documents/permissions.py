"""Who gets the documents of an event. The one place of these rules.

Staff, the event's team (events.permissions) and the facilitators of its workshops (casework.permissions) get
every document; a participant gets the contact list of their own published event only if they are on it
themselves (participants.permissions). Case texts reach the documentation only for people who may read them on
the case pages (casework.selectors.readable_case_examples).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from casework.models import Workshop
from casework.permissions import is_workshop_facilitator, workshops_facilitated_by
from events.models import Event, EventTeamMember
from events.permissions import is_event_team
from kokportal.roles import acts_as_staff
from participants.permissions import may_see_contact_list


def can_view_event_documents(user, event: Event) -> bool:
    """The documentation PDF and the printables (contact list, sign-in sheet, badges)."""
    if acts_as_staff(user) or is_event_team(user, event):
        return True
    if not user or not user.is_authenticated:
        return False
    return any(is_workshop_facilitator(user, workshop) for workshop in Workshop.objects.filter(event=event))


def events_with_documents_for_team(user) -> QuerySet[Event]:
    """The events whose documents ``user`` gets as a member of their team or a facilitator of one of their
    workshops: ``can_view_event_documents`` as one query, without the powers of staff (who reach every event's
    documents from the admin)."""
    if not user or not user.is_authenticated:
        return Event.objects.none()
    return Event.objects.filter(
        Q(pk__in=EventTeamMember.objects.filter(user=user).values("event_id"))
        | Q(pk__in=workshops_facilitated_by(user).values("event_id"))
    )


def may_download_contact_list(user, event: Event) -> bool:
    """The contact list as PDF: for those who get every document, and for participants on the list of their own
    published event (the same rule as the contact list page)."""
    if can_view_event_documents(user, event):
        return True
    return Event.objects.published().filter(pk=event.pk).exists() and may_see_contact_list(user=user, event=event)


def may_see_series_report(user) -> bool:
    """The report across events (events.documents.report): staff only (second factor passed), with the right to
    view events and registrations in the admin; never the event team, whose rights end at their own events."""
    return (
        acts_as_staff(user) and user.has_perm("events.view_event") and user.has_perm("participants.view_registration")
    )
