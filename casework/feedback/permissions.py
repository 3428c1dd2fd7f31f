"""Who sees the feedback results of an event. The one place of these rules.

Staff see every figure and every free text and may export them; the event's team (events.permissions) sees the
figures and the free texts staff selected for the documentation. Everyone else gets a 404.
"""

from __future__ import annotations

from events.permissions import is_event_team
from kokportal.roles import acts_as_staff


def may_see_results(user, event) -> bool:
    return acts_as_staff(user) or is_event_team(user, event)


def may_see_all_texts(user) -> bool:
    """All free texts, the CSV export and choosing texts for the documentation: staff only."""
    return acts_as_staff(user)
