"""A place's statistics for a period, with the same period of the previous year beside
them (seed 002, Phụ lục 01: "so sánh với cùng kỳ năm trước"): what the statistics page,
its workbook and the six-monthly report show."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from casework.reports import indicators, timeliness
from casework.reports.figures import Figure, Median, suppress
from casework.reports.indicators import Where
from casework.reports.periods import Period


@dataclass(frozen=True)
class Figures:
    """Everything counted for one period."""

    period: Period
    indicators: tuple[Figure, ...]
    clocks: tuple[Figure, ...]
    declined: Figure
    first_action: Median
    children: int  # the population figures' children (0: none entered)

    def indicator(self, key: str) -> Figure:
        return next(f for f in (*self.indicators, *self.clocks, self.declined) if f.key == key)


@dataclass(frozen=True)
class Statistics:
    where: Where
    place: str
    now: Figures
    before: Figures  # the same period a year earlier


def count(
    session: Session, where: Where, period: Period, tz: ZoneInfo, *, now: datetime
) -> Figures:
    return Figures(
        period,
        indicators.all_indicators(session, where, period, tz),
        timeliness.legal_clocks(session, where, period, tz, now=now),
        timeliness.declined_tasks(session, where, period, tz),
        timeliness.first_action(session, where, period, tz),
        indicators.children_living(session, where, year=period.year),
    )


def statistics(
    session: Session, where: Where, period: Period, tz: ZoneInfo, *, now: datetime, place: str
) -> Statistics:
    """The period's figures and the previous year's same period."""
    return Statistics(
        where,
        place,
        count(session, where, period, tz, now=now),
        count(session, where, period.previous_year(), tz, now=now),
    )


def for_province(stats: Statistics) -> Statistics:
    """The figures as a province may see them: every count from 1 to 4 hidden, and the
    cell that would give it away (``figures.suppress``)."""

    def hide(figures: Figures) -> Figures:
        return replace(
            figures,
            indicators=tuple(suppress(f) for f in figures.indicators),
            clocks=tuple(suppress(f) for f in figures.clocks),
            declined=suppress(figures.declined),
        )

    return replace(stats, now=hide(stats.now), before=hide(stats.before))
