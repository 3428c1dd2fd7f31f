from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .emails import normalise_email
from .reauthentication import METHOD_ID, code_method_offered


class AccountAdapter(DefaultAccountAdapter):
    """Remembers the language a person signed up in, so later e-mails reach them in that language; stores
    e-mail addresses normalised; offers re-authentication by mailed code to accounts without a password."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.language = translation.get_language() or "de"
        if commit:
            user.save()
        return user

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
