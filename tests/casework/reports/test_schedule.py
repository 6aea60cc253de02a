"""A commune sets its own reporting dates: the calendar opens its reports by them."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlmodel import select

from casework.accounts.models import User
from casework.reports.models import PeriodicReport, ReportSchedule
from casework.reports.schedule import defaults
from casework.reports.tasks import report_job

PAGE = "/lich-bao-cao"


def form(**changes: str) -> dict[str, str]:
    """Every line as the page shows it (the defaults), with ``changes`` ("agencies_h1.day")."""
    found = {}
    for line in defaults():
        found |= {
            f"{line.key}.day": str(line.due_day),
            f"{line.key}.month": str(line.due_month),
            f"{line.key}.lead": str(line.lead_days),
            f"{line.key}.active": "on",
        }
    found |= {key.replace("__", "."): value for key, value in changes.items()}
    return {k: v for k, v in found.items() if v != "off"}


def opened(session) -> set[str]:
    session.expire_all()
    return {r.obligation for r in session.exec(select(PeriodicReport))}


def test_the_supervisor_moves_a_due_day_and_switches_a_line_off(
    story, session, client, browser_for, databases
):
    supervisor = session.exec(select(User).where(User.username == "td.supervisor")).one()
    assert client.get(PAGE, headers=browser_for(supervisor)).status_code == 200
    saved = client.post(
        PAGE,
        data=form(agencies_h1__day="20", agencies_h1__lead="10", schools_h1__active="off"),
        headers=browser_for(supervisor),
        follow_redirects=False,
    )
    assert saved.status_code == 303
    rows = {r.obligation: r for r in session.exec(select(ReportSchedule))}
    assert set(rows) == {"agencies_h1", "schools_h1"}  # only what differs from the defaults
    assert (rows["agencies_h1"].due_day, rows["agencies_h1"].lead_days) == (20, 10)
    assert rows["schools_h1"].active is False
    tick = report_job(story.factory, databases.settings, story.clock)
    story.clock.set(datetime(2026, 4, 12, 2, tzinfo=UTC))
    tick()
    assert opened(session) == set()  # the school's is off, the agencies' opens on 10/5
    story.clock.set(datetime(2026, 5, 10, 2, tzinfo=UTC))
    tick()
    assert opened(session) == {"agencies_h1", "commune_h1"}  # the commune's opened 15/4
    report = session.exec(
        select(PeriodicReport).where(PeriodicReport.obligation == "agencies_h1")
    ).first()
    assert report.due_at.astimezone(UTC) == datetime(2026, 5, 20, 16, 59, tzinfo=UTC)


def test_a_day_that_does_not_exist_is_named_and_nothing_is_saved(
    commune, session, client, browser_for
):
    supervisor = session.exec(select(User).where(User.username == "td.supervisor")).one()
    refused = client.post(
        PAGE, data=form(commune_year__day="31", commune_year__month="2"),
        headers=browser_for(supervisor),
    )  # fmt: skip
    assert refused.status_code == 422
    assert "là một ngày có thật" in refused.text
    assert session.exec(select(ReportSchedule)).all() == []
    officer = session.exec(select(User).where(User.username == "td.police.officer")).one()
    assert client.get(PAGE, headers=browser_for(officer)).status_code == 404
