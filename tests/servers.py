"""Real servers on 127.0.0.1 for the notification tests: an SMTP server (aiosmtpd) and an
HTTP server that speaks eSMS's ``SendMultipleMessage_V4_post_json`` and a plain webhook.

They answer as the real ones document: eSMS with ``CodeResult`` 100 and an ``SMSID``, 108
for a malformed number, 101 for wrong keys, 124 for a ``RequestId`` it has seen before.
A test can make the gateway answer HTTP 5xx or hang past the client's timeout, and stop
and restart the SMTP server on the same port.
"""

from __future__ import annotations

import contextlib
import email
import email.policy
import json
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller

ESMS_PATH = "/MainService.svc/json/SendMultipleMessage_V4_post_json/"
API_KEY, SECRET_KEY = "test-api-key", "test-secret-key"
BAD_PHONE = "0900000108"  # the gateway says: malformed number (108)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    message: EmailMessage

    @property
    def text(self) -> str:
        body = self.message.get_body(("plain",))
        return body.get_content().replace("\r\n", "\n")  # type: ignore[union-attr]

    @property
    def html(self) -> str:
        body = self.message.get_body(("html",))
        return body.get_content().replace("\r\n", "\n")  # type: ignore[union-attr]


class SmtpServer:
    """aiosmtpd on a fixed local port; ``stop()`` and ``start()`` again to play an outage."""

    def __init__(self) -> None:
        self.port = free_port()
        self.received: list[Received] = []
        self._controller: Controller | None = None

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), message))  # type: ignore[arg-type]
        return f"250 2.0.0 Ok: queued as Q{len(self.received)}"

    def start(self) -> None:
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def message_ids(self) -> list[str]:
        return [r.message["Message-ID"] for r in self.received]


@dataclass
class Gateway:
    """What the local SMS gateway saw and how it should answer next."""

    url: str = ""
    requests: list[dict[str, Any]] = field(default_factory=list)
    headers: list[dict[str, str]] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    status: int = 200  # e.g. 503 to play a broken gateway
    delay: float = 0.0  # seconds before answering (a hanging gateway)
    webhook_status: int = 200

    @property
    def esms_url(self) -> str:
        return self.url + ESMS_PATH

    @property
    def webhook_url(self) -> str:
        return self.url + "/webhook"

    def esms_answer(self, body: dict[str, Any]) -> dict[str, Any]:
        if body.get("ApiKey") != API_KEY or body.get("SecretKey") != SECRET_KEY:
            return {"CodeResult": "101", "CountRegenerate": 0, "ErrorMessage": "Authorize Failed"}
        if body.get("Phone") == BAD_PHONE:
            return {
                "CodeResult": "108",
                "CountRegenerate": 0,
                "ErrorMessage": "Phone number is not in correct format",
            }
        request_id = body.get("RequestId")
        if request_id and request_id in self.seen:
            return {"CodeResult": "124", "CountRegenerate": 0, "ErrorMessage": "Request exist 1"}
        if request_id:
            self.seen.add(request_id)
        return {"CodeResult": "100", "CountRegenerate": 0, "SMSID": uuid.uuid4().hex}


def _handler(gateway: Gateway) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            return None

        def _answer(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(data)  # the client may have given up (the timeout test)

        def do_POST(self) -> None:  # noqa: N802
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            gateway.requests.append(body)
            gateway.headers.append(dict(self.headers))
            if gateway.delay:
                time.sleep(gateway.delay)
            if gateway.status >= 500:
                self._answer(gateway.status, {"error": "gateway unavailable"})
            elif self.path == ESMS_PATH:
                self._answer(200, gateway.esms_answer(body))
            elif self.path == "/webhook":
                self._answer(gateway.webhook_status, {"message_id": f"wh-{len(gateway.requests)}"})
            else:
                self._answer(404, {"error": "no such path"})

    return Handler


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def sms_gateway() -> Iterator[Gateway]:
    gateway = Gateway()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(gateway))
    httpd.daemon_threads = True
    gateway.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield gateway
    httpd.shutdown()
    httpd.server_close()
