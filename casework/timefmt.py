"""Store UTC, show local: conversions at the edge of the system."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


def to_local(moment: datetime, tz: ZoneInfo) -> datetime:
    """The same instant in the commune's time zone (ISO output carries +07:00)."""
    return moment.astimezone(tz)


def as_utc(moment: datetime) -> datetime:
    """An instant read back from the database, in UTC: SQLite returns stored datetimes
    without their zone (they were stored in UTC), PostgreSQL with it."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def local_date(moment: datetime, tz: ZoneInfo) -> date:
    return moment.astimezone(tz).date()


def age_on(date_of_birth: date, on: date) -> int:
    """Completed years of age on a given day."""
    before_birthday = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - int(before_birthday)


def end_of_local_day(moment: datetime, tz: ZoneInfo) -> datetime:
    """The last instant of ``moment``'s day in the commune (what "due today" runs to)."""
    local = moment.astimezone(tz)
    midnight = datetime.combine(local.date(), datetime.min.time(), tzinfo=tz)
    return (midnight + timedelta(days=1) - timedelta(microseconds=1)).astimezone(UTC)
