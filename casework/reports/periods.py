"""The period a statistic or a report covers, in the commune's local dates.

A period is a range of local days (Asia/Ho_Chi_Minh), first and last day included: the
first half of 2026 is 1/1–30/6, so a report received at 23:30 on 30/6 local time (16:30
UTC) belongs to it, and one received at 00:10 on 1/7 local time (17:10 UTC on 30/6) does
not. ``bounds`` turns the local days into the UTC instants the database compares with.
Every period has "the same period of the previous year" beside it (seed 002, Phụ lục 01:
"so sánh với cùng kỳ năm trước").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from casework.errors import FieldError, InvalidInput

_KEY = re.compile(r"^(\d{4})(?:-(H1|H2|Q[1-4]))?$")
_LAST_DAY = {1: (3, 31), 2: (6, 30), 3: (9, 30), 4: (12, 31)}


def _bad(field: str, code: str) -> InvalidInput:
    return InvalidInput([FieldError((field,), code, source="query")])


@dataclass(frozen=True)
class Period:
    """Local days ``first`` to ``last`` (both included); ``key`` names a standard period
    (``2026``, ``2026-H1``, ``2026-Q3``) or is empty for a custom one."""

    first: date
    last: date
    key: str = ""

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise _bad("last", "period_ends_before_it_starts")
        if (self.last - self.first).days > 366 * 5:
            raise _bad("last", "period_too_long")

    @property
    def year(self) -> int:
        """The year whose population figures are the denominators: the last day's."""
        return self.last.year

    def label(self, lang: str = "vi") -> str:
        """In the words of the commune's reports (or in English)."""
        year, vi = self.first.year, lang == "vi"
        if self.key == f"{year}":
            return f"Năm {year}" if vi else f"Year {year}"
        if self.key == f"{year}-H1":
            return f"6 tháng đầu năm {year}" if vi else f"First half of {year}"
        if self.key == f"{year}-H2":
            return f"6 tháng cuối năm {year}" if vi else f"Second half of {year}"
        if self.key.startswith(f"{year}-Q"):
            return f"Quý {self.key[-1]} năm {year}" if vi else f"Q{self.key[-1]} {year}"
        if vi:
            return f"Từ {self.first:%d/%m/%Y} đến {self.last:%d/%m/%Y}"
        return f"{self.first:%d/%m/%Y} to {self.last:%d/%m/%Y}"

    def previous_year(self) -> Period:
        """The same days a year earlier (29/2 becomes 28/2)."""
        return Period(_year_before(self.first), _year_before(self.last), _key_before(self.key))

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """``[start, end)`` in UTC: local midnight of the first day to local midnight after
        the last."""
        start = datetime.combine(self.first, time.min, tzinfo=tz)
        end = datetime.combine(self.last + timedelta(days=1), time.min, tzinfo=tz)
        return start.astimezone(UTC), end.astimezone(UTC)

    def months(self) -> list[date]:
        """The first day of every month the period touches, for trends by month."""
        month, out = self.first.replace(day=1), []
        while month <= self.last:
            out.append(month)
            month = (month + timedelta(days=32)).replace(day=1)
        return out


def _year_before(day: date) -> date:
    if (day.month, day.day) == (2, 29):
        return date(day.year - 1, 2, 28)
    return day.replace(year=day.year - 1)


def _key_before(key: str) -> str:
    if not key:
        return ""
    return f"{int(key[:4]) - 1}{key[4:]}"


def standard(key: str) -> Period:
    """``2026`` (the year), ``2026-H1``/``H2`` (a half), ``2026-Q1``…``Q4`` (a quarter)."""
    found = _KEY.match(key.strip())
    if not found or not 2000 <= int(found.group(1)) <= 2100:
        raise _bad("period", "period_unknown")
    year, part = int(found.group(1)), found.group(2)
    if part is None:
        return Period(date(year, 1, 1), date(year, 12, 31), key)
    if part == "H1":
        return Period(date(year, 1, 1), date(year, 6, 30), key)
    if part == "H2":
        return Period(date(year, 7, 1), date(year, 12, 31), key)
    quarter = int(part[1])
    last_month, last_day = _LAST_DAY[quarter]
    return Period(date(year, 3 * quarter - 2, 1), date(year, last_month, last_day), key)


def half_of(day: date) -> Period:
    """The half-year ``day`` falls in (the six-monthly reports' period)."""
    return standard(f"{day.year}-{'H1' if day.month <= 6 else 'H2'}")


def last_complete_half(today: date) -> Period:
    """The most recent half-year that has ended by ``today``: what a report due now covers."""
    if today.month <= 6:
        return standard(f"{today.year - 1}-H2")
    return standard(f"{today.year}-H1")
