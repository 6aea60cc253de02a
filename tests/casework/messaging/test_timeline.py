"""The case shows every message about it: to whom (role, agency), channel, when queued and
sent, and the provider's answer or the last error."""

from __future__ import annotations

from datetime import timedelta

from tests.casework.messaging.conftest import set_people


def test_the_case_shows_each_message_and_what_became_of_it(story, session, relay, sms_gateway):
    set_people(session, {"police.officer": {"phone": "+84912000101", "notify_via": "both"}})
    code = story.intake()
    before = story.case(code)["messages"]
    assert {m["state"] for m in before} == {"pending"}
    assert all(m["sent_at"] is None for m in before)

    sms_gateway.status = 503
    relay().run_once()

    messages = story.case(code)["messages"]
    police = [m for m in messages if m["to_agency"] == "police"]
    assert {(m["channel"], m["state"]) for m in police} == {("email", "sent"), ("sms", "failed")}
    email = next(m for m in police if m["channel"] == "email")
    assert email == email | {
        "kind": "task.new",
        "to_role": "agency_officer",
        "to_role_label": "Cán bộ đầu mối",
        "queued_at": "2026-03-02T09:00:00+07:00",
        "sent_at": "2026-03-02T09:00:00+07:00",
        "attempts": 1,
        "next_attempt_at": None,
        "last_error": None,
    }
    assert email["provider_status"].startswith("250 ")
    sms = next(m for m in police if m["channel"] == "sms")
    assert sms["provider_status"] == "HTTP 503"
    assert sms["last_error"].startswith("HTTP 503")
    assert sms["next_attempt_at"] > "2026-03-02T09:00:00+07:00"
    # The timeline never carries the words sent, only who, how and what happened.
    assert not {"subject", "body", "address", "context"} & set(sms)


def test_each_message_names_the_history_entry_that_caused_it(story):
    code = story.intake()
    [opened] = story.case(code)["events"]
    assert {m["event_id"] for m in story.case(code)["messages"]} == {opened["id"]}

    story.clock.set(story.clock.now() + timedelta(minutes=30))
    police = next(t for t in story.case(code)["tasks"] if t["agency_kind"] == "police")
    story.task_action(police["id"], "decline", as_="police.officer", reason="Đang trực bão lũ")

    case = story.case(code)
    [declined] = [e for e in case["events"] if e["event"] == "task_declined"]
    later = [m for m in case["messages"] if m["queued_at"] > opened["at"]]
    assert {m["kind"] for m in later} == {"task.declined", "escalation.new"}
    assert {m["event_id"] for m in later} == {declined["id"]}
