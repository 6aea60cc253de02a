"""The case's history ("Diễn biến") stays readable: the e-mails and SMS a step caused fold
under that step as one line that opens to each message, and a message that did not get
through is shown without opening anything."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from casework.cases.models import CaseEvent
from casework.deadlines.tasks import run_due
from notifications.models import OutboxMessage
from tests.casework.cases.pages import Browser


@pytest.fixture
def web(client, world, browser_for):
    return Browser(client, world, browser_for)


def history(page_text: str) -> list[str]:
    """The entries of the history, newest first, each as its HTML."""
    part = page_text.split('id="dien-bien"', 1)[1].split("</ol>", 1)[0]
    return part.split('<li class="cw-timeline__entry">')[1:]


def opening(entries: list[str]) -> str:
    """The entry of the report that opened the case (a task no agency of the commune can
    take is its own entry beside it)."""
    [found] = [entry for entry in entries if "Tiếp nhận thông tin, mở hồ sơ" in entry]
    return found


def outside_details(entry: str) -> str:
    return re.sub(r"<details.*?</details>", "", entry, flags=re.S)


def messages_of(session, code: str) -> list[OutboxMessage]:
    session.expire_all()
    return list(
        session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.subject_ref == f"case:{code}")
            .order_by(OutboxMessage.id)
        ).all()
    )


def test_a_new_emergency_folds_its_messages_under_the_report_that_opened_it(web, world, session):
    code = world.own.case.code
    sent = messages_of(session, code)
    assert len(sent) >= 6  # tasks to the agencies, the emergency to police, health, supervisor
    events = session.exec(select(CaseEvent).where(CaseEvent.case_id == world.own.case.id)).all()

    entries = history(web.get("caseworker", f"/ho-so/{code}").text)

    assert len(entries) == len(events)
    opened = opening(entries)
    assert all("<details" not in entry for entry in entries if entry != opened)
    summary = re.search(r'<span class="govuk-details__summary-text">(.*?)</span>', opened, re.S)
    assert summary is not None
    words = " ".join(summary[1].split())
    assert words.startswith(f"{len(sent)} tin đang chờ gửi: e-mail tới ")
    for reached in ("police", "health_station", "culture_social", "Lãnh đạo UBND xã"):
        assert reached in words
    lines = re.findall(r"<li>\s*E-mail: (.*?) → (.*?) · (.*?)</li>", opened, re.S)
    assert len(lines) == len(sent)
    assert ("Nhiệm vụ mới", "Cán bộ đầu mối, police", "Đang chờ gửi") in lines
    assert "Nhiệm vụ mới" not in outside_details(opened)


def test_an_undelivered_message_shows_without_opening_anything(web, world, session):
    code = world.own.case.code
    police = world.own.people["police.officer"]
    health = world.own.people["health_station.officer"]
    changed = {}
    for person, state in ((police, "dead"), (health, "failed")):
        changed[state] = session.execute(
            sa.update(OutboxMessage)
            .where(
                OutboxMessage.recipient == f"user:{person.id}",
                OutboxMessage.kind == "task.new",
            )
            .values(state=state, attempts=5 if state == "dead" else 1)
        ).rowcount
    session.commit()
    assert changed["dead"]
    assert changed["failed"]

    opened = opening(history(web.get("caseworker", f"/ho-so/{code}").text))

    shown = " ".join(outside_details(opened).split())
    assert "Không gửi được</strong> E-mail: Nhiệm vụ mới → Cán bộ đầu mối, police" in shown
    assert (
        "Gửi lỗi, sẽ gửi lại</strong> E-mail: Nhiệm vụ mới → Cán bộ đầu mối, health_station"
        in shown
    )
    summary = " ".join(re.search(r"summary-text\">(.*?)</span>", opened, re.S)[1].split())
    waiting = len(messages_of(session, code)) - changed["dead"] - changed["failed"]
    assert summary.startswith(
        f"{len(messages_of(session, code))} tin ({waiting} đang chờ gửi; "
        f"{changed['failed']} gửi lỗi, sẽ gửi lại; {changed['dead']} không gửi được): "
    )


def test_each_ladder_step_holds_its_own_messages(
    web, world, session, session_factory, clock, databases
):
    """Both 12-hour clocks of the emergency remind in the same minute, and later reach
    their deadline: each step's history entry holds the messages that step sent, and the
    supervisor's queue message sits with the step that put the case in the queue."""
    code = world.own.case.code

    def pass_time(hours: int) -> None:
        clock.set(clock.now() + timedelta(hours=hours))
        while run_due(
            session_factory,
            clock=clock,
            tz=databases.settings.tz,
            worker="test",
            lease=timedelta(minutes=1),
            batch=50,
        ).claimed:
            pass

    def entry(entries: list[str], title: str) -> str:
        [found] = [e for e in entries if f"<strong>{title}</strong>" in e]
        return found

    def lines(entry: str) -> list[str]:
        return re.findall(r"<li>\s*E-mail: (.*?) →", entry, re.S)

    pass_time(6)
    entries = history(web.get("caseworker", f"/ho-so/{code}").text)
    for clock_label in ("Can thiệp khẩn cấp trong 12 giờ", "Đánh giá nguy cơ ban đầu"):
        reminder = entry(entries, f"Nhắc hạn: {clock_label}")
        assert lines(reminder) == ["Nhắc hạn"], clock_label

    pass_time(6)
    entries = history(web.get("caseworker", f"/ho-so/{code}").text)
    overdue = entry(entries, "Quá hạn: Can thiệp khẩn cấp trong 12 giờ")
    assert lines(overdue)
    assert set(lines(overdue)) == {"Báo quá hạn"}
    queued = entry(entries, "Chuyển lên lãnh đạo xử lý: Can thiệp khẩn cấp trong 12 giờ")
    assert set(lines(queued)) == {"Báo có việc cần lãnh đạo xử lý"}
