"""The relay delivers what the workflow queued, to real servers on 127.0.0.1, at least once
and never lost: e-mail to aiosmtpd, SMS to a server speaking eSMS's JSON API."""

from __future__ import annotations

from datetime import timedelta

import pytest

from notifications import tasks as relay_tasks
from tests.casework.messaging.conftest import outbox, set_people
from tests.servers import BAD_PHONE


def test_new_tasks_arrive_by_email_with_utf8_subject_and_body(story, session, relay, smtp_server):
    code = story.intake()  # violence in the family: police, health station, women's union
    queued = outbox(session, kind="task.new")
    assert {m.channel for m in queued} == {"email"}  # the test people have no phone

    result = relay().run_once()

    assert result.claimed == len(queued) == len(smtp_server.received) == 3
    by_recipient = {r.rcpt_tos[0]: r for r in smtp_server.received}
    assert set(by_recipient) == {
        "police.officer@example.org",
        "health_station.officer@example.org",
        "womens_union.officer@example.org",
    }
    police = by_recipient["police.officer@example.org"]
    assert police.message["Subject"] == f"Hồ sơ {code}: nhiệm vụ mới, hạn 20:15 ngày 02/03/2026"
    assert police.mail_from == "casework@thanhdinh.example"
    assert "Việc cần làm: Xác minh, ngăn chặn hành vi bạo lực trong gia đình" in police.text
    assert f"https://casework.thanhdinh.example/ho-so/{code}" in police.text
    assert f'href="https://casework.thanhdinh.example/ho-so/{code}"' in police.html
    for message in outbox(session, kind="task.new"):
        assert message.state == "sent"
        assert message.sent_at == story.clock.now()
        assert message.subject.startswith(f"Hồ sơ {code}")
        assert message.provider_status.startswith("250 ")
        assert message.provider_message_id.startswith("Q")


def test_an_emergency_reaches_police_health_station_and_supervisor_at_once(story, session):
    code = story.intake(perpetrator_relation="parent")
    alerts = outbox(session, kind="case.emergency")
    assert {m.recipient for m in alerts} == {
        f"user:{story_user_id(session, name)}"
        for name in (
            "police.officer",
            "police.head",
            "health_station.officer",
            "health_station.head",
            "supervisor",
        )
    }
    assert all(m.urgent and m.subject_ref == f"case:{code}" for m in alerts)
    assert all(m.context["due_at"] == "2026-03-02T20:15:00+07:00" for m in alerts)


def story_user_id(session, short):
    import sqlalchemy as sa

    from casework.accounts.models import User

    return session.execute(sa.select(User.id).where(User.username == f"td.{short}")).scalar_one()


def test_sms_go_to_the_gateway_with_the_outbox_id_as_request_id(story, session, relay, sms_gateway):
    set_people(session, {"police.officer": {"phone": "+84912000101", "notify_via": "sms"}})
    story.intake()
    [sms] = outbox(session, channel="sms")

    relay().run_once()

    [request] = sms_gateway.requests
    assert request["RequestId"] == f"casework-{sms.id}"
    assert request["Phone"] == "0912000101"
    assert request["IsUnicode"] == "0"  # task.new goes without diacritics
    assert request["Content"].startswith("Ho so TD-2026-")
    [sms] = outbox(session, channel="sms")
    assert (sms.state, sms.provider_status) == ("sent", "CodeResult 100")
    assert sms.provider_message_id
    assert sms.body == request["Content"]
    assert sms.template_id == "task.new"


def test_a_bad_phone_is_dead_at_once_and_the_supervisor_sees_it(story, session, relay):
    set_people(session, {"police.officer": {"phone": "+84900000108", "notify_via": "sms"}})
    code = story.intake()

    relay().run_once()

    [sms] = outbox(session, channel="sms")
    assert (sms.state, sms.attempts) == ("dead", 1)
    assert sms.last_error == "eSMS refused: CodeResult 108: Phone number is not in correct format"
    queue = story.client.get("/api/v1/escalations", headers=story.auth("supervisor")).json()
    [entry] = [e for e in queue if e["reason"] == "message_failed"]
    assert entry["case_code"] == code
    assert entry["reason_label"] == "Thông báo không gửi được"
    assert entry["message"]["id"] == sms.id
    assert entry["message"]["channel"] == "sms"
    assert "108" in entry["message"]["last_error"]
    assert BAD_PHONE == "0900000108"


def test_gateway_5xx_waits_its_backoff_then_goes(story, session, relay, sms_gateway):
    set_people(session, {"police.officer": {"phone": "+84912000101", "notify_via": "sms"}})
    story.intake()
    sms_gateway.status = 503
    relay().run_once()
    [sms] = outbox(session, channel="sms")
    assert (sms.state, sms.attempts, sms.provider_status) == ("failed", 1, "HTTP 503")
    wait = sms.next_attempt_at - story.clock.now()
    assert timedelta(seconds=15) <= wait <= timedelta(seconds=30)  # 30 s, with jitter

    sms_gateway.status = 200
    assert relay().run_once().claimed == 0  # not due yet
    story.clock.set(story.clock.now() + timedelta(seconds=31))
    relay().run_once()
    [sms] = outbox(session, channel="sms")
    assert (sms.state, sms.attempts) == ("sent", 2)
    assert sms.last_error == "HTTP 503: " + '{"error": "gateway unavailable"}'
    assert len(sms_gateway.requests) == 2


def test_a_hanging_gateway_times_out_and_is_retried(story, session, relay, sms_gateway):
    set_people(session, {"police.officer": {"phone": "+84912000101", "notify_via": "sms"}})
    story.intake()
    sms_gateway.delay = 1.0
    relay(sms_timeout_seconds=0.2).run_once()
    [sms] = outbox(session, channel="sms")
    assert sms.state == "failed"
    assert sms.last_error.startswith("timeout")


def test_smtp_down_messages_wait_and_go_once_when_it_is_back(story, session, relay, smtp_server):
    smtp_server.stop()
    story.intake()
    story.intake(
        **{"child.full_name": "Lò Văn Minh", "first_received_at": "2026-03-02T08:30:00+07:00"}
    )
    queued = outbox(session, channel="email")
    assert len(queued) >= 6

    relay().run_once()
    waiting = outbox(session, channel="email")
    assert {m.state for m in waiting} == {"failed"}
    assert all(m.next_attempt_at > story.clock.now() for m in waiting)
    assert all("Connect" in m.last_error for m in waiting)

    relay().run_once()  # nothing is due yet: nobody hammers the dead server
    assert {m.attempts for m in outbox(session, channel="email")} == {1}

    smtp_server.start()
    story.clock.set(story.clock.now() + timedelta(minutes=1))
    relay().run_once()
    sent = outbox(session, channel="email")
    assert {m.state for m in sent} == {"sent"}
    ids = smtp_server.message_ids()
    assert sorted(ids) == sorted(f"<casework-{m.id}@thanhdinh.example>" for m in sent)


def test_a_message_that_keeps_failing_is_dead_after_the_limit(story, session, relay, smtp_server):
    smtp_server.stop()
    code = story.intake()
    for _ in range(3):
        relay(outbox_max_attempts=3).run_once()
        story.clock.set(story.clock.now() + timedelta(hours=2))
    dead = outbox(session, kind="task.new")
    assert {(m.state, m.attempts) for m in dead} == {("dead", 3)}
    # The supervisor is also told by message that the queue has a new entry.
    assert [m.kind for m in outbox(session, state="pending")] == ["escalation.new"]
    queue = story.client.get("/api/v1/escalations", headers=story.auth("supervisor")).json()
    failures = [e for e in queue if e["reason"] == "message_failed"]
    assert [e["case_code"] for e in failures] == [code]  # one entry per case, not per message


def test_relay_crash_after_sending_resends_once_with_the_same_key(
    story, session, relay, smtp_server, sms_gateway, monkeypatch
):
    """The process dies after the providers accepted but before "sent" was written: the
    rows stay `sending` under a lease. After the lease another round sends them once more
    with the same idempotency key; eSMS recognises its RequestId (124), the mail system
    sees the same Message-ID. At least once, never lost, at most one extra copy."""
    set_people(session, {"police.officer": {"phone": "+84912000101", "notify_via": "both"}})
    story.intake()
    queued = outbox(session)
    [sms] = outbox(session, channel="sms")

    def crash(*args, **kwargs):
        raise RuntimeError("relay died before recording")

    with monkeypatch.context() as patch:
        patch.setattr(relay_tasks, "record", crash)
        relay().run_once()
    assert {m.state for m in outbox(session)} == {"sending"}
    first_mail = smtp_server.message_ids()
    assert len(first_mail) == len(queued) - 1
    assert len(sms_gateway.requests) == 1

    assert relay().run_once().claimed == 0  # still leased to the dead round
    story.clock.set(story.clock.now() + timedelta(seconds=121))
    relay().run_once()

    after = outbox(session)
    assert {(m.state, m.attempts) for m in after} == {("sent", 2)}
    assert sorted(smtp_server.message_ids()) == sorted(first_mail * 2)
    assert [r["RequestId"] for r in sms_gateway.requests] == [f"casework-{sms.id}"] * 2
    [sms] = outbox(session, channel="sms")
    assert sms.provider_status == "CodeResult 124: Request exist 1 (accepted on an earlier attempt)"


def test_the_same_ladder_step_fired_twice_queues_one_message(story, session):
    import sqlalchemy as sa

    from casework.deadlines.models import DeadlineTimer

    story.intake()
    # Received 08:15, entered 09:00: the police have until 10:15 to accept; half way: remind.
    assert story.pass_time(minutes=16) > 0
    reminders = outbox(session, kind="deadline.remind")
    assert reminders
    fired = (
        session.execute(sa.select(DeadlineTimer).where(DeadlineTimer.status == "fired"))
        .scalars()
        .all()
    )
    for timer in fired:  # as if a second worker fired them all again
        timer.status, timer.claimed_by, timer.lease_until = "pending", None, None
        session.add(timer)
    session.commit()
    story.pass_time(seconds=1)
    assert len(outbox(session, kind="deadline.remind")) == len(reminders)


def test_quiet_hours_hold_routine_messages_but_never_emergencies(story, session, relay):
    story.clock.set(story.clock.now().replace(hour=15))  # 22:00 in Hà Nội
    routine = story.intake(first_received_at="2026-03-02T21:50:00+07:00")
    urgent = story.intake(
        perpetrator_relation="parent",
        first_received_at="2026-03-02T21:55:00+07:00",
        **{"child.full_name": "Hà Thị Lan"},
    )
    night = relay(quiet_hours="21:00-06:00")
    night.run_once()
    states = {(m.subject_ref, m.state) for m in outbox(session)}
    assert (f"case:{routine}", "pending") in states
    assert (f"case:{routine}", "sent") not in states
    assert {s for ref, s in states if ref == f"case:{urgent}"} == {"sent"}

    story.clock.set(story.clock.now().replace(hour=23))  # 06:00 next morning
    night.run_once()
    assert {m.state for m in outbox(session)} == {"sent"}


@pytest.mark.parametrize("notify_via", ["email", "sms", "both"])
def test_each_person_chooses_their_channels(story, session, notify_via):
    set_people(session, {"police.officer": {"phone": "+84912000101", "notify_via": notify_via}})
    story.intake()
    police = story_user_id(session, "police.officer")
    channels = {m.channel for m in outbox(session, kind="task.new", recipient=f"user:{police}")}
    assert channels == {"email", "sms"} if notify_via == "both" else {notify_via}


def test_a_person_without_an_address_still_gets_a_row_that_dies_visibly(story, session, relay):
    set_people(session, {"police.officer": {"email": None, "phone": None}})
    code = story.intake()
    relay().run_once()
    police = story_user_id(session, "police.officer")
    [message] = outbox(session, recipient=f"user:{police}")
    assert (message.state, message.last_error) == ("dead", "no e-mail address")
    queue = story.client.get("/api/v1/escalations", headers=story.auth("supervisor")).json()
    assert [e["case_code"] for e in queue if e["reason"] == "message_failed"] == [code]


def test_messages_not_started_before_the_lease_nears_its_end_go_back_untried(
    story, session, relay, smtp_server
):
    story.intake()
    # Its batch's time is up before it starts: a lease of a nanosecond has run out by the
    # first check, however fast the machine (a millisecond did not, once rendering sped up).
    hurried = relay(outbox_lease_seconds=1e-9)
    result = hurried.run_once()
    assert result.claimed == 3
    assert smtp_server.received == []
    assert {(m.state, m.attempts, m.claimed_by) for m in outbox(session)} == {("pending", 0, None)}
    relay().run_once()  # another round takes them at once, nothing counted against them
    assert {(m.state, m.attempts) for m in outbox(session)} == {("sent", 1)}
