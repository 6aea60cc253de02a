"""`make run`'s demo commune has statistics worth looking at: its population figures,
abused children this half, and its clocks."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel import select

from casework.communes.models import Commune
from casework.demo.seed import DEMO_COMMUNE_CODE, seed_demo
from casework.reports import periods
from casework.reports.indicators import Where
from casework.reports.statistics import statistics
from casework.timefmt import local_date

TZ = ZoneInfo("Asia/Ho_Chi_Minh")


def test_the_demo_commune_has_plausible_statistics_for_this_half(session, now):
    seed_demo(session, now=now, tz=TZ)
    commune = session.exec(select(Commune).where(Commune.code == DEMO_COMMUNE_CODE)).one()
    half = periods.half_of(local_date(now, TZ))
    stats = statistics(session, Where((commune.id,)), half, TZ, now=now, place=commune.name)
    assert 2_000 < stats.now.children < 4_000
    assert stats.before.children > 0
    abused = stats.now.indicator("abused_children")
    assert abused.value >= 1
    assert abused.rate is not None
    emergency = stats.now.indicator("clock_emergency_measures")
    assert emergency.denominator
    assert stats.now.first_action.count > 0


def test_the_demo_in_december_has_this_years_reports_with_two_late_in_the_queue(session):
    from datetime import UTC, datetime

    import sqlalchemy as sa

    from casework.agencies.models import Agency
    from casework.escalations.models import Escalation
    from casework.processes.models import WorkflowInstance
    from casework.reports.models import PeriodicReport

    december = datetime(2026, 12, 4, 2, tzinfo=UTC)  # a Friday morning in Hà Nội
    seed_demo(session, now=december, tz=TZ)
    rows = session.execute(
        sa.select(PeriodicReport.obligation, Agency.kind, WorkflowInstance.state)
        .join(WorkflowInstance, WorkflowInstance.id == PeriodicReport.instance_id)
        .outerjoin(Agency, Agency.id == PeriodicReport.agency_id)
    ).all()
    states = {(obligation, kind): state for obligation, kind, state in rows}
    assert states[("commune_h1", None)] == "sent"
    assert states[("agencies_h1", "police")] == "accepted"
    assert states[("agencies_year", "police")] == "submitted"
    assert states[("agencies_year", "womens_union")] == "open"
    assert states[("commune_year", None)] == "drafting"
    late = (
        session.execute(
            sa.select(Agency.kind)
            .join(PeriodicReport, PeriodicReport.agency_id == Agency.id)
            .join(Escalation, Escalation.instance_id == PeriodicReport.instance_id)
        )
        .scalars()
        .all()
    )
    assert sorted(late) == ["economic_office", "womens_union"]


def test_the_supervisor_opens_a_late_report_from_her_queue(session, client, browser_for):
    from datetime import UTC, datetime

    import sqlalchemy as sa

    from casework.accounts.models import User
    from casework.escalations.models import Escalation
    from casework.reports.models import PeriodicReport

    seed_demo(session, now=datetime(2026, 12, 4, 2, tzinfo=UTC), tz=TZ)
    session.commit()
    supervisor = session.exec(select(User).where(User.username == "pct.lan")).one()
    queue = client.get("/leo-thang", headers=browser_for(supervisor))
    assert queue.status_code == 200
    assert "Báo cáo năm của các cơ quan 2026" in queue.text
    report_id = session.execute(
        sa.select(PeriodicReport.id)
        .join(Escalation, PeriodicReport.instance_id == Escalation.instance_id)
        .limit(1)
    ).scalar_one()
    assert f'href="/bao-cao-dinh-ky/{report_id}"' in queue.text  # the row leads to the report
    assert (
        client.get(f"/bao-cao-dinh-ky/{report_id}", headers=browser_for(supervisor)).status_code
        == 200
    )
