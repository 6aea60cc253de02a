"""The demo commune has two records at the police step of Đề án 06, for congan.hung."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import select

from casework.demo.seed import seed_demo
from casework.registry.cleaning.models import CleaningLoop, CleaningState

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_the_demo_has_two_records_waiting_on_the_police(session, now, client, headers_for):
    seed_demo(session, now=now, tz=TZ)
    session.commit()
    loops = session.exec(select(CleaningLoop)).all()
    assert [loop.state for loop in loops] == [CleaningState.verify, CleaningState.verify]
    steps = client.get("/api/v1/cleaning/tasks", headers=headers_for("congan.hung")).json()
    assert len(steps) == 2
    assert all(step["problems"][0] == "no_personal_id" for step in steps)
