"""Each working morning every agency with open tasks gets one digest: its open and overdue
tasks by case code, action and deadline."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, date, datetime

from casework.communes.models import CommuneDayOff
from casework.messaging import tasks as messaging_tasks
from tests.casework.messaging.conftest import outbox


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A local time in March 2026 (Hà Nội, UTC+7) as UTC."""
    return datetime(2026, 3, day, hour - 7, minute, tzinfo=UTC)


def test_a_working_morning_brings_one_digest_per_agency_reader(story, session, settings):
    # Received 08:15 Monday, entered 09:00: police (due 20:15), health station, women's union
    code = story.intake()
    job = messaging_tasks.digest_job(story.factory, settings, story.clock)

    story.clock.set(at(3, 7, 29))  # Tuesday
    job()
    assert outbox(session, kind="digest.daily") == []

    story.clock.set(at(3, 7, 30))
    job()
    digests = outbox(session, kind="digest.daily")
    readers = Counter(m.subject_ref for m in digests)
    assert len(readers) == 3
    assert set(readers.values()) == {2}
    police = next(m for m in digests if m.context["overdue_count"] == 1)
    assert police.context["open_count"] == 1
    assert police.context["items"][0]["case_code"] == code
    assert not police.urgent

    rendered = messaging_tasks.renderer(settings).email(
        kind="digest.daily", language="vi", context=police.context
    )
    assert rendered.subject == "Bản tin nhiệm vụ ngày 03/03/2026: 1 đang mở, 1 quá hạn"
    assert (
        f"- {code}: Xác minh, ngăn chặn hành vi bạo lực trong gia đình - hạn 20:15 ngày"
        " 02/03/2026 (QUÁ HẠN)" in rendered.text
    )

    job()  # the same process again
    messaging_tasks.digest_job(story.factory, settings, story.clock)()  # another process
    assert len(outbox(session, kind="digest.daily")) == len(digests)


def test_no_digest_on_a_weekend_a_holiday_or_a_day_off(story, session, settings, commune):
    story.intake()
    for moment in (at(7, 7, 30), at(8, 8, 0)):  # Saturday, Sunday
        story.clock.set(moment)
        messaging_tasks.digest_job(story.factory, settings, story.clock)()
    session.add(CommuneDayOff(commune_id=commune.id, day=date(2026, 3, 9), reason="Lễ hội xã"))
    session.commit()
    story.clock.set(at(9, 7, 45))
    messaging_tasks.digest_job(story.factory, settings, story.clock)()
    assert outbox(session, kind="digest.daily") == []


def test_a_process_started_in_the_afternoon_sends_no_morning_digest(story, session, settings):
    story.intake()
    story.clock.set(at(3, 13, 0))
    messaging_tasks.digest_job(story.factory, settings, story.clock)()
    assert outbox(session, kind="digest.daily") == []
