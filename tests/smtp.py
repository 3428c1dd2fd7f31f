"""A real SMTP server in the test process (aiosmtpd), so mails go through Django's SMTP backend as in production.

Use the ``smtp_server`` fixture (tests/conftest.py): it starts the server on a free port of 127.0.0.1, points the
portal's mail settings at it the way ``EMAIL_URL`` does (``smtp://127.0.0.1:<port>``, parsed by django-environ as in
kokportal/settings.py), and gives the test a ``SMTPReceiver``:

    def test_something(smtp_server):
        smtp_server.refuse("bounce@example.org")        # answers 550 to RCPT TO for this address (code=450: 4xx)
        ...                                              # send mails (tasks run immediately in tests)
        [message] = smtp_server.messages_to("anna@example.org")
        assert message["Subject"] == "…"
        assert smtp_server.text_part(message) == "…"

``messages`` are ``email.message.EmailMessage`` objects (policy ``default``): headers decoded, parts walkable.
Each keeps the envelope (``envelope_from``, ``envelope_to``) as the server saw it, so a test can tell a To: header
from the addresses the mail was really delivered to (Bcc).
"""

from __future__ import annotations

import logging
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as default_policy

import environ
from aiosmtpd.controller import Controller


@dataclass
class ReceivedMessage:
    message: EmailMessage
    envelope_from: str
    envelope_to: list[str]

    def __getitem__(self, header: str):
        return self.message[header]

    def get_all(self, header: str) -> list[str]:
        return self.message.get_all(header) or []


@dataclass
class _Handler:
    """aiosmtpd handler: keeps every message, answers 550 to the refused recipients."""

    refused: dict[str, int] = field(default_factory=dict)  # address -> SMTP reply code
    received: list[ReceivedMessage] = field(default_factory=list)
    refused_attempts: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        code = self.refused.get(address.lower())
        if code is not None:
            with self.lock:
                self.refused_attempts.append(address.lower())
            if code >= 500:
                return f"{code} 5.1.1 Mailbox unavailable"
            return f"{code} 4.2.1 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.original_content or envelope.content, policy=default_policy)
        with self.lock:
            self.received.append(
                ReceivedMessage(message=message, envelope_from=envelope.mail_from, envelope_to=list(envelope.rcpt_tos))
            )
        return "250 Message accepted for delivery"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SMTPReceiver:
    """The running server: what it received and which recipients it refuses."""

    def __init__(self):
        self.handler = _Handler()
        self.port = free_port()
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def email_url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    def email_settings(self) -> dict:
        """Django's mail settings for this server, parsed from its EMAIL_URL as kokportal/settings.py does."""
        return environ.Env.email_url_config(self.email_url)

    def start(self) -> SMTPReceiver:
        # aiosmtpd logs every command with the addresses; the portal's own logs are what the tests look at.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def refuse(self, *addresses: str, code: int = 550) -> None:
        """Answer RCPT TO for these addresses with ``code``: 550 "Mailbox unavailable" (for good, as a server does
        for unknown addresses) or a 4xx "try again later"."""
        self.handler.refused.update((address.lower(), code) for address in addresses)

    @property
    def messages(self) -> list[ReceivedMessage]:
        with self.handler.lock:
            return list(self.handler.received)

    @property
    def refused_attempts(self) -> list[str]:
        """The refused addresses, once per attempt to deliver to them."""
        with self.handler.lock:
            return list(self.handler.refused_attempts)

    def messages_to(self, address: str) -> list[ReceivedMessage]:
        return [m for m in self.messages if address.lower() in (a.lower() for a in m.envelope_to)]

    @staticmethod
    def part(message: ReceivedMessage | EmailMessage, content_type: str) -> str:
        """The decoded text of the first part of ``content_type`` (e.g. "text/plain", "text/html"), with the wire's
        CR LF line ends read as "\\n"."""
        message = message.message if isinstance(message, ReceivedMessage) else message
        for part in message.walk():
            if part.get_content_type() == content_type and not part.is_multipart():
                return part.get_content().replace("\r\n", "\n")
        raise AssertionError(f"no {content_type} part in the message")

    def text_part(self, message) -> str:
        return self.part(message, "text/plain")

    def html_part(self, message) -> str:
        return self.part(message, "text/html")
