"""How many records are clean, per village and over time: a snapshot a day per commune.

The housekeeping tick writes it; several processes tick at once, so the day's rows are
written once whatever the race, and the supervisor's dashboard shows the figure.
"""

from __future__ import annotations

import base64
import threading
from datetime import timedelta

import sqlalchemy as sa

from casework import background
from casework.accounts.models import User
from casework.clock import FixedClock
from casework.communes.models import Village
from casework.housekeeping.tasks import snapshot_due
from casework.registry import snapshots
from casework.registry.quality_models import DataQualitySnapshot
from tests.conftest import make_test_settings
from tests.factories.communes import create_commune
from tests.factories.records import add_child

SETTINGS = make_test_settings()


def housekeeping(factory, clock):
    [tick] = [
        t
        for t in background.jobs(factory, SETTINGS, clock, timers=True, outbox=False).ticks
        if t.name == "housekeeping"
    ]
    return tick.job


def snapshot_rows(session):
    session.rollback()  # a new transaction: see what the ticks committed
    return session.execute(
        sa.select(Village.name, DataQualitySnapshot.day, DataQualitySnapshot.total)
        .add_columns(DataQualitySnapshot.clean)
        .select_from(DataQualitySnapshot)
        .outerjoin(Village, Village.id == DataQualitySnapshot.village_id)
        .order_by(DataQualitySnapshot.day, Village.name)
    ).all()


def test_two_concurrent_ticks_write_the_days_figure_once(live_factory, now):
    with live_factory() as session:
        commune = create_commune(session, now=now, with_agencies=False)
        add_child(session, commune, now=now, full_name="Hà Thị Sạch")
        add_child(session, commune, now=now, full_name="Chưa Có Số", personal_id=None)
        add_child(session, commune, now=now, full_name="Chưa Rõ Thôn", village=None)
        session.commit()
    clock = FixedClock(now)
    ticks = [housekeeping(live_factory, clock) for _ in range(2)]
    start = threading.Barrier(2)
    failures: list[BaseException] = []

    def run(tick):
        start.wait()
        try:
            tick()
        except BaseException as exc:  # noqa: BLE001  (reported below)
            failures.append(exc)

    threads = [threading.Thread(target=run, args=(tick,)) for tick in ticks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert failures == []
    today = now.date()  # 09:00 in Hà Nội: the same day there
    with live_factory() as session:
        assert sorted(snapshot_rows(session), key=lambda row: row[0] or "") == [
            (None, today, 1, 1),
            ("Thôn Đồng Tâm", today, 2, 1),
        ]
        ticks[0]()  # later the same day: nothing more
        assert len(snapshot_rows(session)) == 2
        housekeeping(live_factory, FixedClock(now + timedelta(days=1)))()
        assert [row[1] for row in snapshot_rows(session)].count(today + timedelta(days=1)) == 2


def test_a_commune_is_counted_once_per_local_day(session, session_factory, now):
    commune = create_commune(session, now=now, with_agencies=False)
    add_child(session, commune, now=now)
    session.commit()
    evening_utc = now.replace(hour=18)  # 01:00 the next morning in Hà Nội
    assert snapshot_due(session_factory, SETTINGS, FixedClock(evening_utc)) == 1
    assert [row[1] for row in snapshot_rows(session)] == [now.date() + timedelta(days=1)]
    # taken again the same day (another process): the unique indexes keep the first
    day = now.date() + timedelta(days=1)
    assert snapshots.take(session, commune_id=commune.id, day=day, now=evening_utc) == 0
    assert snapshots.due_communes(session, day=day) == []


def test_the_supervisor_sees_the_clean_records_figure_and_its_chart(
    client, browser_for, session, now
):
    commune = create_commune(session, now=now)
    add_child(session, commune, now=now, full_name="Hà Thị Sạch")
    add_child(session, commune, now=now, full_name="Chưa Có Số", personal_id=None)
    yesterday = now.date() - timedelta(days=1)
    snapshots.take(session, commune_id=commune.id, day=yesterday, now=now - timedelta(days=1))
    snapshots.take(session, commune_id=commune.id, day=now.date(), now=now)
    session.commit()

    def page(username):
        user = session.execute(sa.select(User).where(User.username == username)).scalar_one()
        response = client.get("/trang-cua-toi", headers=browser_for(user))
        assert response.status_code == 200
        return response.text

    shown = page("td.supervisor")
    assert "Hồ sơ trẻ em đạt chuẩn" in shown
    assert "1 trên 2 hồ sơ đủ và đúng thông tin cơ bản" in shown
    assert "Thôn Đồng Tâm" in shown
    assert 'src="data:image/svg+xml' in shown
    assert "Hồ sơ trẻ em đạt chuẩn" not in page("td.police.officer")


def test_the_chart_is_an_image_that_loads_nothing_from_elsewhere(session, now):
    commune = create_commune(session, now=now, with_agencies=False)
    add_child(session, commune, now=now)
    snapshots.take(session, commune_id=commune.id, day=now.date(), now=now)
    found = snapshots.board(session, commune_id=commune.id, today=now.date())
    assert found.chart is not None
    assert found.chart.startswith("data:image/svg+xml")
    decoded = base64.b64decode(found.chart.split(",", 1)[1]).decode()
    assert "<svg" in decoded
    assert "kozea.github.io" not in decoded  # pygal's tooltip script is left out
    assert "src=" not in decoded
