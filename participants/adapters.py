from allauth.account import signals
from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.models import EmailAddress
from allauth.account.utils import setup_user_email
from allauth.core import ratelimit
from django.conf import settings
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from kokportal.emails import normalise_email
from kokportal.mail import portal_site
from kokportal.models import User
from kokportal.roles import has_second_factor

from .reauthentication import METHOD_ID, code_method_offered

SECOND_FACTOR_NEEDED = _(
    "Als Mitarbeiter*in der KOK-Geschäftsstelle brauchen Sie eine Zwei-Faktor-Authentifizierung. Bitte richten Sie sie "
    "jetzt ein; erst danach stehen Ihnen der Verwaltungsbereich und die Seiten für das Team offen."
)


class AccountAdapter(DefaultAccountAdapter):
    """Remembers the language a person signed up in, so later e-mails reach them in that language; stores
    e-mail addresses normalised; creates the account of a new address when it asks for a login code; offers
    re-authentication by mailed code to accounts without a password; names the portal in allauth's mails."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.language = translation.get_language() or "de"
        if commit:
            user.save()
        return user

    def sign_up_for_login_code(self, request, form) -> User | None:
        """The account of an address that has none yet, created when the address asks for a login code.

        This is allauth's passwordless sign-up (``SignupForm.save``: ``new_user``, ``save_user`` without a
        password, ``setup_user_email`` with the address unverified) moved to the moment the code is requested,
        so that one form serves new and known people alike: allauth then mails a real code instead of "unknown
        account", and entering it verifies the address and logs the person in. Nobody can tell from the answer
        whether the address had an account (the same page and the same kind of mail either way).

        allauth's ``signup`` rate limit still applies: beyond it no account is made and allauth answers as for an
        unknown address (same page; the mail explains). An address whose account is deactivated gets none either.
        """
        email = form.cleaned_data["email"]
        if (
            User.objects.filter(email=normalise_email(email)).exists()
            or EmailAddress.objects.filter(email__iexact=email).exists()
        ):
            return None  # a deactivated account, or one just created by a parallel request
        if not self.is_open_for_signup(request) or not ratelimit.consume(request, action="signup"):
            return None
        try:
            with transaction.atomic():
                user = self.save_user(request, self.new_user(request), form)
                setup_user_email(request, user, [EmailAddress(email=email)])
        except IntegrityError:  # the same address from a parallel request won
            return None
        signals.user_signed_up.send(sender=user.__class__, request=request, user=user)
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

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # allauth's mails name "the site" (without django.contrib.sites that would be the request's host, e.g.
        # "127.0.0.1:8200"); links go to the address the portal is served at, as in the portal's own mails.
        portal = {"current_site": portal_site(), "login_url": settings.SITE_URL + reverse("account_login")}
        super().send_mail(template_prefix, email, {**portal, **context})

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
