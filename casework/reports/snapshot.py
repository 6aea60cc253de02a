"""The figures a report carries from the data, counted when it is submitted and kept as
sent: counts only, never a child. A report for a period not yet over counts up to the day
it is submitted ("số liệu tính đến ngày …")."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from casework.reports import statistics as stats_service
from casework.reports import timeliness
from casework.reports.figures import Figure
from casework.reports.indicators import Where
from casework.reports.models import PeriodicReport
from casework.reports.periods import Period
from casework.timefmt import local_date


def counted_period(report: PeriodicReport, tz: ZoneInfo, *, now: datetime) -> Period:
    """The report's period, up to today when it has not ended."""
    last = min(report.period_last, local_date(now, tz))
    return Period(report.period_first, max(last, report.period_first))


def _figure(figure: Figure) -> dict[str, Any]:
    return {
        "value": figure.value,
        "denominator": figure.denominator,
        "rate": None if figure.rate is None else round(figure.rate, 1),
        "breakdowns": {b.key: {c.key: c.value for c in b.cells} for b in figure.breakdowns},
    }


def agency_figures(
    session: Session, report: PeriodicReport, tz: ZoneInfo, *, now: datetime
) -> dict[str, Any]:
    """An agency's own work in the period: tasks given, declined, and how soon it answered."""
    period = counted_period(report, tz, now=now)
    where = Where((report.commune_id,), agency_id=report.agency_id)
    declined = timeliness.declined_tasks(session, where, period, tz)
    first = timeliness.first_action(session, where, period, tz)
    return {
        "period": [period.first.isoformat(), period.last.isoformat()],
        "tasks_given": declined.denominator or 0,
        "tasks_declined": declined.value,
        "tasks_answered": first.count,
        "median_hours_to_answer": None if first.hours is None else round(first.hours, 1),
    }


def commune_figures(
    session: Session, report: PeriodicReport, tz: ZoneInfo, *, now: datetime
) -> dict[str, Any]:
    """The commune's statistics for the period, as the report states them."""
    period = counted_period(report, tz, now=now)
    counted = stats_service.count(session, Where((report.commune_id,)), period, tz, now=now)
    return {
        "period": [period.first.isoformat(), period.last.isoformat()],
        "children": counted.children,
        **{f.key: _figure(f) for f in (*counted.indicators, *counted.clocks, counted.declined)},
    }
