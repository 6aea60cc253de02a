"""Working days in Vietnam: weekends and public holidays (lunar Tết, Giỗ Tổ Hùng Vương,
substitute days off) are not counted, Saturdays declared make-up working days (ngày làm
bù) are, and a commune may declare extra days off.

A deadline of N working days counts from the day after the start and ends at the end of
the Nth working day, local time (NĐ56 Đ28: "trong thời hạn 05 ngày làm việc").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

END_OF_DAY = time(23, 59, 59)


@lru_cache(maxsize=1)
def _vietnam() -> holidays.HolidayBase:
    return holidays.country_holidays("VN", language="vi")


class CalendarNotLoaded(RuntimeError):
    """Working days were counted on a calendar built without the commune's days off."""


class WorkingCalendar:
    """The commune's calendar: Vietnam's public holidays plus its own extra days off and
    its own make-up working days (a weekend day or holiday it works).

    ``extra_days_off=None`` builds a calendar for work that counts no working days (the
    commune's days off were not read): counting on it raises instead of silently ignoring
    them.
    """

    def __init__(
        self,
        tz: ZoneInfo,
        extra_days_off: Iterable[date] | None = (),
        extra_working_days: Iterable[date] = (),
    ) -> None:
        self.tz = tz
        self.extra_days_off = None if extra_days_off is None else frozenset(extra_days_off)
        self.extra_working_days = frozenset(extra_working_days)

    def is_working_day(self, day: date) -> bool:
        if self.extra_days_off is None:
            raise CalendarNotLoaded("this calendar was built without the commune's days off")
        if day in self.extra_working_days:
            return True
        return day not in self.extra_days_off and _vietnam().is_working_day(day)

    def is_national_working_day(self, day: date) -> bool:
        """Whether Vietnam works that day, whatever the commune declared."""
        return _vietnam().is_working_day(day)

    def holiday_name(self, day: date) -> str | None:
        return _vietnam().get(day)

    def add_working_days(self, start: datetime, days: int) -> datetime:
        """The end (23:59:59 local) of the ``days``-th working day after ``start``'s day."""
        if days < 1:
            raise ValueError("a working-day deadline needs at least one day")
        day = start.astimezone(self.tz).date()
        counted = 0
        while counted < days:
            day += timedelta(days=1)
            if self.is_working_day(day):
                counted += 1
        return datetime.combine(day, END_OF_DAY, tzinfo=self.tz)

    def working_days_between(self, start: datetime, end: datetime) -> int:
        """Whole working days after ``start``'s day up to and including ``end``'s day."""
        first = start.astimezone(self.tz).date() + timedelta(days=1)
        last = end.astimezone(self.tz).date()
        return sum(
            1 for n in range((last - first).days + 1) if self.is_working_day(first + timedelta(n))
        )
