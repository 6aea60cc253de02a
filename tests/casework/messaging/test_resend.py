"""A message that could not be delivered is the supervisor's to settle: once the wrong phone
number is corrected it is sent again (as a new message, with a new idempotency key), or the
supervisor records how the agency was told instead. Either way it leaves the queue."""

from __future__ import annotations

from tests.casework.messaging.conftest import outbox, set_people


def undelivered_entry(story, code):
    queue = story.client.get("/api/v1/escalations", headers=story.auth("supervisor")).json()
    found = [e for e in queue if e["reason"] == "message_failed" and e["case_code"] == code]
    return found[0] if found else None


def dead_sms_case(story, session, relay):
    """An intake whose SMS to the police officer dies at once: the phone number is wrong."""
    set_people(session, {"police.officer": {"phone": "+84900000108", "notify_via": "sms"}})
    code = story.intake()
    relay().run_once()
    [dead] = outbox(session, channel="sms")
    assert dead.state == "dead"
    return code, dead


def post(story, path, who="supervisor", **body):
    return story.client.post(path, json=body or None, headers=story.auth(who))


def test_resent_message_reaches_the_corrected_phone_under_a_new_request_id(
    story, session, relay, sms_gateway
):
    code, dead = dead_sms_case(story, session, relay)
    entry = undelivered_entry(story, code)
    set_people(session, {"police.officer": {"phone": "+84912000101"}})  # the admin's fix

    answer = post(story, f"/api/v1/escalations/{entry['id']}/resend")

    assert answer.status_code == 200, answer.text
    assert answer.json() == {"queued": 1}
    assert undelivered_entry(story, code) is None
    relay().run_once()
    [old, copy] = sorted(outbox(session, channel="sms"), key=lambda m: m.id)
    assert (old.id, old.state) == (dead.id, "dead")  # the timeline keeps what happened
    assert (copy.state, copy.address, copy.body) == ("sent", "+84912000101", old.body)
    [request] = [r for r in sms_gateway.requests if r["Phone"] == "0912000101"]
    assert request["RequestId"] == f"casework-{copy.id}"
    history = [e["event"] for e in story.case(code)["events"]]
    assert "messages_resent" in history


def test_an_escalation_is_resent_once(story, session, relay):
    code, _ = dead_sms_case(story, session, relay)
    entry = undelivered_entry(story, code)
    assert post(story, f"/api/v1/escalations/{entry['id']}/resend").status_code == 200

    again = post(story, f"/api/v1/escalations/{entry['id']}/resend")

    assert again.status_code == 409
    assert len(outbox(session, channel="sms")) == 2


def test_a_copy_that_dies_again_brings_the_case_back_and_only_it_is_resent(story, session, relay):
    code, dead = dead_sms_case(story, session, relay)
    first = undelivered_entry(story, code)
    post(story, f"/api/v1/escalations/{first['id']}/resend")
    relay().run_once()  # the number was not corrected: the copy dies too

    second = undelivered_entry(story, code)

    assert second is not None
    assert second["id"] != first["id"]
    assert post(story, f"/api/v1/escalations/{second['id']}/resend").json() == {"queued": 1}
    copies = [m for m in outbox(session, channel="sms") if m.id != dead.id]
    assert sorted(m.dedupe_key for m in copies) == sorted(
        [f"resend:{dead.id}", f"resend:{min(m.id for m in copies)}"]
    )


def test_settling_needs_how_the_agency_was_told(story, session, relay):
    code, _ = dead_sms_case(story, session, relay)
    entry = undelivered_entry(story, code)

    refused = story.client.post(
        f"/api/v1/escalations/{entry['id']}/settle",
        json={},
        headers=story.auth("supervisor") | {"Accept-Language": "vi"},
    )
    assert refused.status_code == 422
    assert [e["loc"][-1] for e in refused.json()["detail"]] == ["reason"]
    assert undelivered_entry(story, code) is not None

    told = post(
        story,
        f"/api/v1/escalations/{entry['id']}/settle",
        reason="Đã gọi điện cho trưởng công an xã lúc 9:30",
    )

    assert told.status_code == 204, told.text
    assert undelivered_entry(story, code) is None
    [settled] = [e for e in story.case(code)["events"] if e["event"] == "messages_settled"]
    assert settled["payload"]["reason"] == "Đã gọi điện cho trưởng công an xã lúc 9:30"
    assert len(outbox(session, channel="sms")) == 1  # nothing sent again


def test_only_undelivered_message_escalations_are_resent(story, session):
    code = story.intake()
    [task] = [t for t in story.case(code)["tasks"] if t["agency_kind"] == "police"]
    story.task_action(task["id"], "decline", as_="police.officer", reason="Không đủ người")
    queue = story.client.get("/api/v1/escalations", headers=story.auth("supervisor")).json()
    [declined] = [e for e in queue if e["reason"] == "task_declined"]

    answer = post(story, f"/api/v1/escalations/{declined['id']}/resend")

    assert answer.status_code == 409
    assert answer.json()["detail"][0]["type"] == "escalation_not_about_messages"


def test_only_a_supervisor_resends(story, session, relay):
    code, _ = dead_sms_case(story, session, relay)
    entry = undelivered_entry(story, code)

    answer = post(story, f"/api/v1/escalations/{entry['id']}/resend", who="caseworker")

    assert answer.status_code in (403, 404)
    assert undelivered_entry(story, code) is not None
