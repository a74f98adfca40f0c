"""Mail relays for delivery tests, on 127.0.0.1 only: one refuses, one never answers, one accepts.

The tests point Django's real SMTP backend at them (`smtp_settings`), so what is exercised is smtplib
meeting a refused connection, a silent server and a working one, not a mock.
"""

from __future__ import annotations

import socket
import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.test import override_settings
from django_tasks_db.models import DBTaskResult

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
EMAIL_TASK = "accounts.tasks.send_email_message"


def smtp_settings(port: int, *, timeout: int = 2) -> override_settings:
    """Django's SMTP backend aimed at a local port, plain SMTP, with a short timeout."""
    return override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=port,
        EMAIL_TIMEOUT=timeout,
        EMAIL_USE_TLS=False,
        EMAIL_USE_SSL=False,
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
    )


def closed_port() -> int:
    """A local port with nothing listening: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


@contextmanager
def silent_relay() -> Iterator[SilentRelay]:
    """A relay that accepts connections and never says a word, like a hung mail server."""
    relay = SilentRelay()
    relay.start()
    try:
        yield relay
    finally:
        relay.stop()


class SilentRelay:
    """Accepts and holds connections without answering; counts them."""

    def __init__(self) -> None:
        self.server = socket.socket()
        self.server.bind(("127.0.0.1", 0))
        self.server.listen(8)
        self.server.settimeout(0.1)
        self.port: int = self.server.getsockname()[1]
        self.connections: list[socket.socket] = []
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def _accept(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self.server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.connections.append(connection)

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=2)
        for connection in self.connections:
            connection.close()
        self.server.close()


@dataclass
class ReceivedMessage:
    """What the stub relay was given for one message."""

    sender: str
    recipients: list[str]
    data: str


@dataclass
class _Mailbox:
    messages: list[ReceivedMessage] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


class _SmtpHandler(socketserver.StreamRequestHandler):
    """Just enough SMTP for smtplib: greeting, EHLO/HELO, MAIL, RCPT, DATA, RSET, NOOP, QUIT."""

    server: _SmtpServer

    def _reply(self, line: str) -> None:
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self) -> None:
        self._reply("220 stub.relay ESMTP ready")
        sender, recipients = "", list[str]()
        while raw := self.rfile.readline():
            command = raw.decode("utf-8", "replace").strip()
            verb = command[:4].upper()
            if verb in {"EHLO", "HELO"}:
                self._reply("250 stub.relay")
            elif verb == "MAIL":
                sender, recipients = command.partition(":")[2].strip(" <>"), []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.partition(":")[2].strip(" <>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (line := self.rfile.readline()) not in {b".\r\n", b""}:
                    lines.append(line.decode("utf-8", "replace"))
                with self.server.mailbox.lock:
                    self.server.mailbox.messages.append(ReceivedMessage(sender, recipients, "".join(lines)))
                self._reply("250 OK queued")
            elif verb in {"RSET", "NOOP"}:
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("502 Command not implemented")


class _SmtpServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.mailbox = _Mailbox()


@dataclass
class StubRelay:
    """A running stub relay: its port and what it has received."""

    port: int
    mailbox: _Mailbox

    @property
    def messages(self) -> list[ReceivedMessage]:
        with self.mailbox.lock:
            return list(self.mailbox.messages)


@contextmanager
def stub_relay() -> Iterator[StubRelay]:
    """A relay that accepts every message and keeps it for the test to read."""
    server = _SmtpServer(("127.0.0.1", 0), _SmtpHandler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield StubRelay(port=server.server_address[1], mailbox=server.mailbox)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=2)


def run_worker() -> None:
    """What `manage.py db_worker` does, once through the queue: run every task that is due, then stop."""
    from django.core.management import call_command

    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)


def email_tasks() -> list[DBTaskResult]:
    """Every email task, oldest first."""
    return list(DBTaskResult.objects.filter(task_path=EMAIL_TASK).order_by("enqueued_at"))
