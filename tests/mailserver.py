"""A real SMTP server for the tests (aiosmtpd, on 127.0.0.1 in a thread of the test process), and
Django's SMTP back-end pointed at it, so e-mail goes over a socket as it would in production.

Use the fixture by importing it into a test module: `from tests.mailserver import smtp_server`.
"""
from __future__ import annotations

import email
import email.policy
import socket
from dataclasses import dataclass
from email.message import EmailMessage

import pytest
from aiosmtpd.controller import Controller


@dataclass(frozen=True)
class Delivered:
    """One message the server accepted: the envelope, and the message as the recipient reads it."""

    mail_from: str
    rcpt_tos: tuple[str, ...]
    message: EmailMessage

    @property
    def subject(self) -> str:
        return str(self.message["Subject"])

    @property
    def text(self) -> str:
        # SMTP carries lines ending in CRLF; the text as written has plain newlines.
        return self.message.get_content().replace("\r\n", "\n")


class Mailbox:
    """The server's handler: keeps what arrives; refuses recipients it is told to refuse."""

    def __init__(self):
        self.delivered: list[Delivered] = []
        self.refused: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 Kotak surat tidak ada"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        self.delivered.append(Delivered(envelope.mail_from, tuple(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Delivered]:
        return [d for d in self.delivered if address in d.rcpt_tos]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class SmtpServer:
    host: str
    port: int
    mailbox: Mailbox
    controller: Controller

    @property
    def delivered(self) -> list[Delivered]:
        return self.mailbox.delivered


@pytest.fixture
def smtp_server(settings):
    """An SMTP server that accepts mail for anyone, with Django's SMTP back-end sending to it."""
    mailbox = Mailbox()
    port = free_port()
    controller = Controller(mailbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 10
    server = SmtpServer("127.0.0.1", port, mailbox, controller)
    yield server
    controller.stop()
