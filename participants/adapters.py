from allauth.account.adapter import DefaultAccountAdapter
from django.contrib import messages
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from kokportal.emails import normalise_email
from kokportal.roles import has_second_factor

from .reauthentication import METHOD_ID, code_method_offered

SECOND_FACTOR_NEEDED = _(
    "Als Mitarbeiter*in der KOK-Geschäftsstelle brauchen Sie eine Zwei-Faktor-Anmeldung. Bitte richten Sie sie "
    "jetzt ein; erst danach stehen Ihnen der Verwaltungsbereich und die Seiten für das Team offen."
)


class AccountAdapter(DefaultAccountAdapter):
    """Remembers the language a person signed up in, so later e-mails reach them in that language; stores
    e-mail addresses normalised; offers re-authentication by mailed code to accounts without a password."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.language = translation.get_language() or "de"
        if commit:
            user.save()
        return user

    def get_login_redirect_url(self, request):
        """Staff who logged in without a second factor (their account has none yet) set one up first: staff
        powers need it (kokportal.roles.acts_as_staff), and allauth can only ask for a factor that exists."""
        user = request.user
        if user.is_authenticated and user.is_staff and not has_second_factor(user):
            self.add_message(request, messages.WARNING, message=str(SECOND_FACTOR_NEEDED))
            return f"{reverse('mfa_activate_totp')}?{urlencode({'next': super().get_login_redirect_url(request)})}"
        return super().get_login_redirect_url(request)

    def clean_email(self, email: str) -> str:
        # Every allauth form (sign-up, login by code, password reset, adding an address) passes through here.
        return normalise_email(super().clean_email(email))

    def get_reauthentication_methods(self, user) -> list[dict]:
        methods = super().get_reauthentication_methods(user)
        if code_method_offered(user, methods):
            methods.append(
                {
                    "id": METHOD_ID,
                    "description": _("Code per E-Mail"),
                    "url": reverse("participants:reauthenticate_by_code"),
                }
            )
        return methods
