"""The reporting calendar: who reports to whom, for which period, due when.

The defaults are data (``workflows/definitions/calendars/reporting.yaml``, the seeds'
dates); a commune's own dates (``ReportSchedule``, set on its administration page) replace
a default's due day and lead time, or switch it off.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import date, datetime, time
from functools import lru_cache
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session, select

from casework.agencies.models import AgencyKind
from casework.reports import periods
from casework.reports.models import ReportSchedule
from casework.reports.periods import Period

CALENDAR = Path(__file__).resolve().parents[2] / "workflows/definitions/calendars/reporting.yaml"


class _Words(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    vi: str
    en: str


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    key: str = Field(pattern=r"^[a-z0-9_]{1,32}$")
    title: _Words
    source: Literal["agencies", "commune"] = Field(alias="from")
    kinds: tuple[AgencyKind, ...] = ()
    to: _Words
    period: Literal["H1", "year"]
    due: str = Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")
    lead_days: int = Field(ge=1, le=120)


class _Calendar(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    obligations: tuple[_Entry, ...]


@dataclass(frozen=True)
class Obligation:
    """One line of the calendar, with the commune's own date where it set one."""

    key: str
    title: tuple[str, str]
    source: str  # agencies, commune
    kinds: tuple[AgencyKind, ...]
    to: tuple[str, str]
    period: str  # H1, year
    due_month: int
    due_day: int
    lead_days: int
    own_date: bool = False  # the commune changed the default

    def due_on(self, year: int) -> date:
        """The last day to send it in ``year`` (31/2 becomes the month's last day)."""
        last = calendar.monthrange(year, self.due_month)[1]
        return date(year, self.due_month, min(self.due_day, last))

    def opens_on(self, year: int) -> date:
        return date.fromordinal(self.due_on(year).toordinal() - self.lead_days)

    def period_of(self, year: int) -> Period:
        return periods.standard(f"{year}-H1" if self.period == "H1" else f"{year}")


@lru_cache(maxsize=1)
def defaults() -> tuple[Obligation, ...]:
    raw = _Calendar.model_validate(yaml.safe_load(CALENDAR.read_text(encoding="utf-8")))
    return tuple(
        Obligation(
            e.key,
            (e.title.vi, e.title.en),
            e.source,
            e.kinds,
            (e.to.vi, e.to.en),
            e.period,
            int(e.due[:2]),
            int(e.due[3:]),
            e.lead_days,
        )
        for e in raw.obligations
    )


def for_commune(session: Session, *, commune_id: int, active_only: bool = True) -> list[Obligation]:
    """The commune's calendar: the defaults with its own dates; switched-off lines left out
    (unless ``active_only`` is False, for the page that switches them back on)."""
    own = {
        row.obligation: row
        for row in session.exec(
            select(ReportSchedule).where(ReportSchedule.commune_id == commune_id)
        ).all()
    }
    found = []
    for default in defaults():
        row = own.get(default.key)
        if row is None:
            found.append(default)
        elif row.active or not active_only:
            found.append(
                replace(
                    default,
                    due_month=row.due_month,
                    due_day=row.due_day,
                    lead_days=row.lead_days,
                    own_date=True,
                )
            )
    return found


def due_at(day: date, tz: ZoneInfo) -> datetime:
    """The end of the last day to send it, in the commune's time."""
    return datetime.combine(day, time(23, 59), tzinfo=tz)
