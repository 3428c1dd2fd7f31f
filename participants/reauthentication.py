"""Re-authentication by a code sent by e-mail, for accounts without a password.

Most participants never set a password: they log in with a code sent by e-mail. allauth (65.21) offers
re-authentication by password or second factor only, and treats an account that has neither as "recently
re-authenticated" (``did_recently_reauthenticate``), so its ``reauthentication_required`` protected nothing for
them. This module adds the missing method with allauth's own parts: the code comes from the adapter's
``generate_login_code`` (the login code's format and strength), it lives in the session in allauth's
``AbstractCodeVerificationProcess`` (timeout and attempt count of login codes), it is compared by allauth's
``ConfirmLoginCodeForm`` in constant time, and success is recorded with ``record_authentication(...,
reauthenticated=True)`` exactly as allauth records a password re-authentication. ``reauthentication_required``
below then asks every account, with or without password, for a recent re-authentication.
"""

from __future__ import annotations

import time
from functools import wraps

from allauth.account import app_settings as account_settings
from allauth.account.adapter import get_adapter
from allauth.account.internal.flows.code_verification import AbstractCodeVerificationProcess
from allauth.account.internal.flows.login import get_authentication_records, record_authentication
from allauth.account.internal.userkit import user_id_to_str
from allauth.core.exceptions import ReauthenticationRequired
from django.http import HttpRequest

STATE_SESSION_KEY = "participants_reauthentication_code"
METHOD_ID = "reauthenticate_by_code"


def code_method_offered(user, other_methods: list[dict]) -> bool:
    """Offered to accounts for which allauth has no method (no usable password, no second factor).

    Accounts with a password or a second factor keep those: a mailed code must not get around a second factor.
    """
    return bool(user.is_authenticated and user.email and not other_methods)


class ReauthenticationCodeProcess(AbstractCodeVerificationProcess):
    """A code mailed to the account's address; its state lives in the session, bound to the user."""

    def __init__(self, request: HttpRequest, state: dict) -> None:
        self.request = request
        super().__init__(
            max_attempts=account_settings.LOGIN_BY_CODE_MAX_ATTEMPTS,
            timeout=account_settings.LOGIN_BY_CODE_TIMEOUT,
            state=state,
            user=request.user,
        )

    @classmethod
    def initiate(cls, request: HttpRequest) -> ReauthenticationCodeProcess:
        state = cls.initial_state(user=request.user, email=request.user.email)
        process = cls(request, state)
        process.send()
        process.persist()
        return process

    @classmethod
    def resume(cls, request: HttpRequest) -> ReauthenticationCodeProcess | None:
        """The pending process of this user, or None when there is none or it has expired."""
        state = request.session.get(STATE_SESSION_KEY)
        if not isinstance(state, dict) or state.get("user_id") != user_id_to_str(request.user):
            return None
        return cls(request, state).abort_if_invalid()

    @property
    def email(self) -> str:
        return self.state["email"]

    def send(self) -> None:
        adapter = get_adapter()
        self.state["code"] = adapter.generate_login_code()
        adapter.send_mail("account/email/reauthentication_code", self.email, {"code": self.code})

    def persist(self) -> None:
        self.request.session[STATE_SESSION_KEY] = self.state

    def abort(self) -> None:
        self.request.session.pop(STATE_SESSION_KEY, None)

    def finish(self) -> None:
        """The right code was entered: record a re-authentication the way allauth does for a password."""
        self.abort()
        record_authentication(self.request, self.request.user, method="code", email=self.email, reauthenticated=True)


def reauthenticated_recently(request: HttpRequest) -> bool:
    """Whether the session holds a re-authentication (password, second factor or mailed code) younger than
    ``ACCOUNT_REAUTHENTICATION_TIMEOUT``. Unlike allauth's check, an account without a password is no exception."""
    if not request.user.is_authenticated:
        return False
    records = [r for r in get_authentication_records(request, request.user) if r.get("reauthenticated")]
    return bool(records) and time.time() - records[-1]["at"] < account_settings.REAUTHENTICATION_TIMEOUT


def reauthentication_required(view):
    """Like allauth's decorator of the same name, for accounts with and without a password.

    Raising ``ReauthenticationRequired`` lets allauth's middleware keep the request (a POST included) and send
    the person to the first method the adapter offers; after it, allauth replays the request.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        if not reauthenticated_recently(request):
            raise ReauthenticationRequired()
        return view(request, *args, **kwargs)

    return wrapped
