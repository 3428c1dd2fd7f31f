"""The one base class of the portal's domain errors.

Services raise a subclass when a rule forbids an action; its message is translatable and meant for the person
who asked, so views and admin actions show it as it is. Never put personal data or case text into it.
"""

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """A rule of the portal forbids this; ``message`` says which, for the person who asked."""

    default_message = _("Diese Aktion ist nicht möglich.")

    def __init__(self, message=None):
        self.message = message or self.default_message
        super().__init__(str(self.message))
