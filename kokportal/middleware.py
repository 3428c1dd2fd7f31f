from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .roles import (
    SECOND_FACTOR_PASSED,
    fresh_login_counts_as_reauthentication,
    has_second_factor,
    session_passed_second_factor,
)


class StaffSecondFactorMiddleware:
    """Staff act as staff only in a session that passed a second factor (``kokportal.roles.acts_as_staff``).

    For every staff account it records on ``request.user`` whether the session did. A staff account without it
    is sent to set up a TOTP app (no authenticator yet) or to enter its code (e.g. a session from before the
    authenticator was added) before any page but the person's own account pages under /konto/ (login, logout,
    second factor, their own data), the language switch and the health check:
    a staff account is worth protecting whatever else the person is (facilitator, co-organiser, participant).

    A staff account that has no factor yet sets one up right after logging in; that fresh login counts as the
    re-authentication allauth asks for before a factor is added (``fresh_login_counts_as_reauthentication``), so
    nobody types the password or a mailed code twice in a row. Setting up the factor then counts as the second
    factor of the session (``roles.record_second_factor_setup``): one code, not two.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.open_prefixes = None

    def __call__(self, request):
        if self.open_prefixes is None:
            # The account pages (allauth: login, logout, second factor, re-authentication), the language switch,
            # static files and the health check stay reachable, so the person can set up or enter the factor.
            self.open_prefixes = (
                reverse("account_login").rsplit("login/", 1)[0],
                reverse("switch_language"),
                reverse("health"),
                settings.STATIC_URL,
            )
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            passed = session_passed_second_factor(request)
            setattr(user, SECOND_FACTOR_PASSED, passed)
            if not passed:
                has_factor = has_second_factor(user)
                if not has_factor:
                    fresh_login_counts_as_reauthentication(request)
                if not request.path.startswith(self.open_prefixes):
                    return self._ask_for_second_factor(request, user, has_factor=has_factor)
        return self.get_response(request)

    @staticmethod
    def _ask_for_second_factor(request, user, *, has_factor: bool):
        next_query = urlencode({"next": request.get_full_path()})
        if has_factor:
            messages.info(request, _("Bitte bestätigen Sie Ihre Anmeldung mit Ihrem zweiten Faktor."))
            return redirect(f"{reverse('mfa_reauthenticate')}?{next_query}")
        messages.warning(
            request,
            _(
                "Als Mitarbeiter*in der KOK-Geschäftsstelle brauchen Sie eine Zwei-Faktor-Authentifizierung. "
                "Bitte richten Sie sie jetzt ein; erst danach stehen Ihnen das Portal und der Verwaltungsbereich offen."
            ),
        )
        return redirect(f"{reverse('mfa_activate_totp')}?{next_query}")
