"""Each channel against a real server on 127.0.0.1: what the server receives and how the
channel reads the answer (sent, retry later, or never: dead)."""

from __future__ import annotations

import asyncio
import io
from dataclasses import replace

from notifications.channels import Envelope, Outcome
from notifications.channels.email import EmailSender, SmtpConfig
from notifications.channels.sms import (
    ConsoleSender,
    EsmsConfig,
    EsmsSender,
    WebhookConfig,
    WebhookSender,
)
from notifications.render import Rendered, RenderedSms
from notifications.sms_text import measure
from tests.servers import API_KEY, BAD_PHONE, SECRET_KEY, free_port

SUBJECT = "[KHẨN] Hồ sơ CS-2026-00042: nhiệm vụ mới, hạn 14:30 ngày 02/03/2026"
TEXT = "Hồ sơ CS-2026-00042 có một nhiệm vụ mới.\n\nViệc cần làm: Khám, sơ cứu cho trẻ\n"


def email(message_id: int = 7, address: str = "yte.mai@example.org") -> Envelope:
    return Envelope(
        message_id=message_id,
        idempotency_key=f"casework-{message_id}",
        kind="task.new",
        address=address,
        rendered=Rendered(
            template_id="vi/task.new", subject=SUBJECT, text=TEXT, html="<p>Hồ sơ</p>"
        ),
    )


def sms(text: str = "Ho so CS-2026-00042: nhiem vu moi", phone: str = "+84912000101") -> Envelope:
    return Envelope(
        message_id=9,
        idempotency_key="casework-9",
        kind="task.new",
        address=phone,
        rendered=RenderedSms(template_id="T-NEW", subject=None, text=text, size=measure(text)),
    )


async def _send(sender, *envelopes):
    async with sender:
        return [await sender.send(e) for e in envelopes]


def send(sender, *envelopes):
    return asyncio.run(_send(sender, *envelopes))


def smtp(server, **overrides) -> EmailSender:
    config = {"host": "127.0.0.1", "port": server.port, "security": "none", "timeout": 5}
    return EmailSender(SmtpConfig(**(config | overrides)))


def test_email_arrives_with_utf8_subject_recipient_text_and_html(smtp_server):
    [delivery] = send(smtp(smtp_server, sender="Casework Châu Sơn <cw@chauson.example>"), email())

    assert delivery.outcome == Outcome.sent
    assert delivery.provider_message_id == "Q1"  # the server's "queued as" id
    assert delivery.status.startswith("250 ")
    [got] = smtp_server.received
    assert got.rcpt_tos == ["yte.mai@example.org"]
    assert got.mail_from == "cw@chauson.example"
    assert got.message["Subject"] == SUBJECT
    assert got.message["To"] == "yte.mai@example.org"
    assert got.message["Message-ID"] == "<casework-7@chauson.example>"
    assert got.text == TEXT
    assert "<p>Hồ sơ</p>" in got.html


def test_one_connection_serves_several_messages(smtp_server):
    deliveries = send(smtp(smtp_server), email(1), email(2), email(3))
    assert [d.outcome for d in deliveries] == [Outcome.sent] * 3
    assert smtp_server.message_ids() == [f"<casework-{n}@localhost>" for n in (1, 2, 3)]


def test_smtp_server_down_is_a_retry_and_marks_the_channel_down():
    nobody = EmailSender(SmtpConfig(host="127.0.0.1", port=free_port(), timeout=2))
    [delivery] = send(nobody, email())
    assert delivery.outcome == Outcome.retry
    assert delivery.channel_down
    assert "Connect" in delivery.error or "refused" in delivery.error.lower()


def test_a_recipient_refused_for_good_is_rejected(smtp_server):
    class Refuse:
        async def handle_RCPT(self, server, session, envelope, address, options):  # noqa: N802
            return "550 5.1.1 No such user"

    smtp_server.stop()
    from aiosmtpd.controller import Controller

    controller = Controller(Refuse(), hostname="127.0.0.1", port=smtp_server.port)
    controller.start()
    try:
        [delivery] = send(smtp(smtp_server), email(address="nobody@example.org"))
    finally:
        controller.stop()
    assert delivery.outcome == Outcome.reject
    assert "550" in delivery.error


def esms(gateway, **overrides) -> EsmsSender:
    config = {
        "api_key": API_KEY,
        "secret_key": SECRET_KEY,
        "brandname": "UBND-CHAUSON",
        "url": gateway.esms_url,
        "timeout": 2,
    }
    return EsmsSender(EsmsConfig(**(config | overrides)))


def test_esms_accepts_and_returns_its_sms_id(sms_gateway):
    [delivery] = send(esms(sms_gateway), sms())

    assert delivery.outcome == Outcome.sent
    assert delivery.status == "CodeResult 100"
    assert len(delivery.provider_message_id) == 32
    [request] = sms_gateway.requests
    assert request == {
        "ApiKey": API_KEY,
        "SecretKey": SECRET_KEY,
        "Phone": "0912000101",
        "Content": "Ho so CS-2026-00042: nhiem vu moi",
        "Brandname": "UBND-CHAUSON",
        "SmsType": "2",
        "IsUnicode": "0",
        "Sandbox": "0",
        "RequestId": "casework-9",
    }


def test_esms_is_told_when_the_text_needs_unicode(sms_gateway):
    send(esms(sms_gateway), sms("Hồ sơ CS-2026-00042: nhiệm vụ mới"))
    assert sms_gateway.requests[0]["IsUnicode"] == "1"


def test_esms_bad_phone_is_rejected_for_good(sms_gateway):
    [delivery] = send(esms(sms_gateway), sms(phone=BAD_PHONE))
    assert delivery.outcome == Outcome.reject
    assert delivery.status.startswith("CodeResult 108")


def test_esms_same_request_id_twice_counts_as_sent(sms_gateway):
    first, second = send(esms(sms_gateway), sms(), sms())
    assert first.outcome == second.outcome == Outcome.sent
    assert "124" in second.status
    assert [r["RequestId"] for r in sms_gateway.requests] == ["casework-9", "casework-9"]


def test_esms_wrong_keys_wait_for_an_operator(sms_gateway):
    [delivery] = send(esms(sms_gateway, secret_key="wrong"), sms())
    assert delivery.outcome == Outcome.retry
    assert "101" in delivery.error


def test_esms_http_5xx_is_a_retry(sms_gateway):
    sms_gateway.status = 503
    [delivery] = send(esms(sms_gateway), sms())
    assert delivery.outcome == Outcome.retry
    assert delivery.status == "HTTP 503"


def test_esms_timeout_is_a_retry(sms_gateway):
    sms_gateway.delay = 1.5
    [delivery] = send(esms(sms_gateway, timeout=0.3), sms())
    assert delivery.outcome == Outcome.retry
    assert delivery.error.startswith("timeout")


def test_webhook_sends_json_with_the_idempotency_key(sms_gateway):
    sender = WebhookSender(WebhookConfig(url=sms_gateway.webhook_url, token="s3cret"))
    [delivery] = send(sender, sms())
    assert (delivery.outcome, delivery.provider_message_id) == (Outcome.sent, "wh-1")
    assert sms_gateway.headers[0]["Idempotency-Key"] == "casework-9"
    assert sms_gateway.headers[0]["Authorization"] == "Bearer s3cret"
    body = sms_gateway.requests[0]
    assert (body["to"], body["template_id"], body["unicode"], body["segments"]) == (
        "+84912000101",
        "T-NEW",
        False,
        1,
    )


def test_webhook_4xx_is_final_and_5xx_is_a_retry(sms_gateway):
    sender = WebhookSender(WebhookConfig(url=sms_gateway.webhook_url))
    sms_gateway.webhook_status = 422
    assert send(sender, sms())[0].outcome == Outcome.reject
    sms_gateway.status = 502
    assert send(sender, sms())[0].outcome == Outcome.retry


def test_console_prints_the_sms_and_its_cost():
    out = io.StringIO()
    [delivery] = send(ConsoleSender(out), sms())
    assert delivery.outcome == Outcome.sent
    assert "SMS -> +84912000101 [task.new; 1 SMS GSM-7, 33 units]" in out.getvalue()
    assert "Ho so CS-2026-00042: nhiem vu moi" in out.getvalue()


def test_console_writes_the_texts_queued_before_the_start_to_its_file_and_says_so(tmp_path):
    """A first `make run` relays the demo's 136 queued texts at once: one line, not 270."""
    out, file = io.StringIO(), tmp_path / "sms-console.log"
    queued_before = [replace(sms(f"Ho so CS-2026-0000{n}: nhac han"), message_id=n) for n in (1, 2)]
    new = replace(sms("KHAN: ho so CS-2026-00009 la truong hop khan cap"), message_id=9)
    deliveries = send(ConsoleSender(out, file=file, backlog_until=2), *queued_before, new)
    assert [d.outcome for d in deliveries] == [Outcome.sent] * 3
    printed = out.getvalue()
    assert printed.count("SMS -> ") == 1
    assert "KHAN: ho so CS-2026-00009" in printed
    assert (
        f"SMS: 2 queued before this start written to {file}, not printed here; new ones print "
        "below.\n" in printed
    )
    kept = file.read_text(encoding="utf-8")
    assert kept.count("SMS -> +84912000101") == 3  # every text is there, the new one too


def self_signed(tmp_path):
    """A certificate for 127.0.0.1 made with the openssl command (skipped without it)."""
    import shutil
    import ssl
    import subprocess

    import pytest

    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
        + ["-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    return context


def test_starttls_and_login_then_implicit_tls(tmp_path):
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    from tests.servers import SmtpServer

    def check(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) == (
            b"casework",
            b"s3cret",
        )
        return AuthResult(success=ok)

    context = self_signed(tmp_path)
    sink = SmtpServer()
    starttls = Controller(
        sink,
        hostname="127.0.0.1",
        port=sink.port,
        tls_context=context,
        require_starttls=True,
        auth_required=True,
        authenticator=check,
    )
    starttls.start()
    try:
        config = {"host": "127.0.0.1", "port": sink.port, "validate_certs": False, "timeout": 5}
        good = EmailSender(SmtpConfig(**config, username="casework", password="s3cret"))
        bad = EmailSender(
            SmtpConfig(**(config | {"timeout": 1}), username="casework", password="wrong")
        )
        [sent] = send(good, email(1))
        [refused] = send(bad, email(2))
    finally:
        starttls.stop()
    assert sent.outcome == Outcome.sent
    # Refused credentials are an operator's to fix: retried later, the batch not hammered.
    assert (refused.outcome, refused.channel_down) == (Outcome.retry, True)
    assert sink.message_ids() == ["<casework-1@localhost>"]

    implicit = Controller(sink, hostname="127.0.0.1", port=sink.port, ssl_context=context)
    implicit.start()
    try:
        tls = SmtpConfig(
            host="127.0.0.1", port=sink.port, security="tls", validate_certs=False, timeout=5
        )
        [sent] = send(EmailSender(tls), email(3))
    finally:
        implicit.stop()
    assert sent.outcome == Outcome.sent
    assert sink.message_ids()[-1] == "<casework-3@localhost>"
