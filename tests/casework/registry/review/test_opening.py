"""The month's village reviews open on the commune's first working day of the month: after
Tết, after New Year's Day and a weekend, after a day off of the commune's own; once per
village and month however often the tick runs; late, if no process ran that day."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from casework.clock import FixedClock
from casework.communes.models import CommuneDayOff, Village
from casework.registry.review.models import VillageReview
from casework.registry.review.tasks import review_job
from tests.factories.communes import create_commune

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def at(local: str) -> datetime:
    """A moment given in Hà Nội time."""
    return datetime.fromisoformat(local).replace(tzinfo=HANOI).astimezone(UTC)


@pytest.fixture
def commune(session, now):
    found = create_commune(session, now=now)
    session.commit()
    return found


def tick(session_factory, databases, moment: datetime) -> None:
    review_job(session_factory, databases.settings, FixedClock(moment))()


def opened(session, commune) -> list[tuple[str, date]]:
    session.expire_all()
    rows = session.exec(
        select(Village.name, VillageReview.month)
        .join(VillageReview, VillageReview.village_id == Village.id)
        .where(Village.commune_id == commune.id)
        .order_by(Village.name)
    ).all()
    return [tuple(row) for row in rows]


def test_after_tet_the_reviews_open_on_the_first_working_day(
    session, session_factory, databases, commune
):
    # Tết 2030: 1–6 February are days off (Giao thừa on the 2nd); work starts on the 7th.
    tick(session_factory, databases, at("2030-02-06 16:00"))
    assert opened(session, commune) == []
    tick(session_factory, databases, at("2030-02-07 00:01"))
    assert opened(session, commune) == [
        ("Thôn Bản Chắt", date(2030, 2, 1)),
        ("Thôn Đồng Tâm", date(2030, 2, 1)),
        ("Xóm Nà Pàn", date(2030, 2, 1)),
    ]


def test_new_years_day_and_a_weekend_push_january_to_the_fourth(
    session, session_factory, databases, commune
):
    tick(session_factory, databases, at("2027-01-03 23:00"))  # Sunday, after New Year's Day
    assert opened(session, commune) == []
    tick(session_factory, databases, at("2027-01-04 08:00"))
    assert len(opened(session, commune)) == 3


def test_a_day_off_of_the_communes_own_is_skipped(session, session_factory, databases, commune):
    session.add(CommuneDayOff(commune_id=commune.id, day=date(2026, 6, 1), reason="Lễ hội"))
    session.commit()
    tick(session_factory, databases, at("2026-06-01 09:00"))  # a Monday, but the commune rests
    assert opened(session, commune) == []
    tick(session_factory, databases, at("2026-06-02 09:00"))
    assert len(opened(session, commune)) == 3


def test_ticking_again_opens_nothing_more_and_a_late_start_catches_up(
    session, session_factory, databases, commune
):
    tick(session_factory, databases, at("2026-03-18 10:00"))  # no process ran on the 2nd
    tick(session_factory, databases, at("2026-03-18 10:05"))
    tick(session_factory, databases, at("2026-03-31 17:00"))
    assert [month for _, month in opened(session, commune)] == [date(2026, 3, 1)] * 3
    tick(session_factory, databases, at("2026-04-01 08:00"))
    assert len(opened(session, commune)) == 6  # April's, beside March's
