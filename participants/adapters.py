from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation


class AccountAdapter(DefaultAccountAdapter):
    """Remembers the language a person signed up in, so later e-mails reach them in that language."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.language = translation.get_language() or "de"
        if commit:
            user.save()
        return user
