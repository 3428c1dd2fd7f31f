from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .roles import SECOND_FACTOR_PASSED, has_second_factor, session_passed_second_factor


class StaffSecondFactorMiddleware:
    """Staff act as staff only in a session that passed a second factor (``kokportal.roles.acts_as_staff``).

    For every staff account it records on ``request.user`` whether the session did; the admin sends staff
    without it to set up a TOTP app (no authenticator yet) or to enter their code (e.g. after a login by e-mail
    code on an account that has no second factor yet, or a session from before the authenticator was added).
    Portal pages simply treat such a session like any participant's.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            passed = session_passed_second_factor(request)
            setattr(user, SECOND_FACTOR_PASSED, passed)
            if not passed and request.path.startswith(self.admin_prefix):
                return self._ask_for_second_factor(request, user)
        return self.get_response(request)

    @staticmethod
    def _ask_for_second_factor(request, user):
        next_query = urlencode({"next": request.get_full_path()})
        if has_second_factor(user):
            messages.info(
                request, _("Bitte bestätigen Sie den Zugang zum Verwaltungsbereich mit Ihrem zweiten Faktor.")
            )
            return redirect(f"{reverse('mfa_reauthenticate')}?{next_query}")
        messages.warning(
            request,
            _("Für den Verwaltungsbereich ist eine Zwei-Faktor-Anmeldung nötig. Bitte richten Sie sie jetzt ein."),
        )
        return redirect(f"{reverse('mfa_activate_totp')}?{next_query}")
