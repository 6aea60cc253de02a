"""Communes: as the home page and the statistics count them, and the commune's own
calendar of days off and make-up working days that working-day deadlines follow."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from casework.cases.models import CaseStatus, ProtectionCase
from casework.communes.models import Commune, CommuneDayOff
from casework.communes.schemas import CalendarDayIn
from casework.errors import FieldError, InvalidInput
from workflows.calendar import WorkingCalendar


@dataclass(frozen=True)
class CommuneOverview:
    code: str
    name: str
    province: str
    open_cases: int


_DAYS_OFF = sa.select(CommuneDayOff.day, CommuneDayOff.make_up).where(
    CommuneDayOff.commune_id == sa.bindparam("commune_id")
)


def working_calendar(session: Session, *, commune_id: int, tz: ZoneInfo) -> WorkingCalendar:
    """The commune's working days: the national calendar with its own days off and
    make-up working days."""
    rows = session.connection().execute(_DAYS_OFF, {"commune_id": commune_id}).all()
    return WorkingCalendar(
        tz,
        extra_days_off=[day for day, make_up in rows if not make_up],
        extra_working_days=[day for day, make_up in rows if make_up],
    )


def overview(session: Session) -> list[CommuneOverview]:
    """Each commune with its number of open cases (counts only, no personal data)."""
    open_cases = (
        sa.select(sa.func.count())
        .where(ProtectionCase.commune_id == Commune.id, ProtectionCase.status != CaseStatus.closed)
        .scalar_subquery()
    )
    rows = session.execute(
        sa.select(Commune.code, Commune.name, Commune.province, open_cases).order_by(Commune.name)
    ).all()
    return [CommuneOverview(*row) for row in rows]


@dataclass(frozen=True)
class CommuneCounts:
    code: str
    name: str
    province: str
    by_status: dict[str, int]


def counts(session: Session, *, communes: sa.ColumnElement[bool]) -> list[CommuneCounts]:
    """Cases per status for each commune matching ``communes``: numbers only, no record."""
    rows = session.execute(
        sa.select(
            Commune.code,
            Commune.name,
            Commune.province,
            ProtectionCase.status,
            sa.func.count(ProtectionCase.id),
        )
        .select_from(Commune)
        .outerjoin(ProtectionCase, ProtectionCase.commune_id == Commune.id)
        .where(communes)
        .group_by(Commune.code, Commune.name, Commune.province, ProtectionCase.status)
        .order_by(Commune.name)
    ).all()
    found: dict[str, CommuneCounts] = {}
    for code, name, province, status, n in rows:
        entry = found.setdefault(code, CommuneCounts(code, name, province, {}))
        if status is not None:
            entry.by_status[status] = n
    return list(found.values())


# The commune's own calendar (ngày nghỉ, ngày làm bù), kept by its supervisor.

WEEKDAYS = (
    ("thứ Hai", "a Monday"),
    ("thứ Ba", "a Tuesday"),
    ("thứ Tư", "a Wednesday"),
    ("thứ Năm", "a Thursday"),
    ("thứ Sáu", "a Friday"),
    ("thứ Bảy", "a Saturday"),
    ("Chủ nhật", "a Sunday"),
)


@dataclass(frozen=True)
class CalendarDay:
    day: date
    reason: str
    make_up: bool


@dataclass(frozen=True)
class Calendar:
    upcoming: list[CalendarDay]  # from today, soonest first
    past: list[CalendarDay]  # most recent first
    earliest: date  # the range a day may be entered in
    latest: date


def _range(today: date) -> tuple[date, date]:
    """A day may be entered from a year back (a report entered late counts from its first
    receipt) to the end of next year."""
    return today - timedelta(days=366), date(today.year + 1, 12, 31)


def calendar(session: Session, *, commune_id: int, today: date) -> Calendar:
    """The commune's own days off and make-up working days."""
    rows = session.exec(
        select(CommuneDayOff)
        .where(CommuneDayOff.commune_id == commune_id)
        .order_by(CommuneDayOff.day)
    ).all()
    days = [CalendarDay(row.day, row.reason, row.make_up) for row in rows]
    earliest, latest = _range(today)
    return Calendar(
        upcoming=[d for d in days if d.day >= today],
        past=[d for d in reversed(days) if d.day < today],
        earliest=earliest,
        latest=latest,
    )


def _shown(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _what(day: date, national: WorkingCalendar) -> tuple[str, str]:
    """What the day is nationally: a holiday's name, else its weekday."""
    holiday = national.holiday_name(day)
    if holiday:
        return f"ngày lễ “{holiday}”", f"a public holiday ({holiday})"
    return WEEKDAYS[day.weekday()]


def add_day(
    session: Session, *, commune_id: int, entry: CalendarDayIn, today: date, tz: ZoneInfo
) -> None:
    """Put a day on the commune's calendar. A day off must be one Vietnam works, a make-up
    day one it does not; clocks already running keep the due times they were given."""
    earliest, latest = _range(today)
    day = entry.day

    def refuse(code: str, **params: str) -> InvalidInput:
        return InvalidInput([FieldError(("day",), code, {"day": _shown(day), **params})])

    if not earliest <= day <= latest:
        raise refuse("day_out_of_range", earliest=_shown(earliest), latest=_shown(latest))
    if session.get(CommuneDayOff, (commune_id, day)) is not None:
        raise refuse("day_already_listed")
    make_up = entry.day_kind == "make_up"
    national = WorkingCalendar(tz)
    works = national.is_national_working_day(day)
    if works == make_up:
        what_vi, what_en = _what(day, national)
        code = "make_up_on_working_day" if make_up else "day_off_already_off"
        raise refuse(code, what_vi=what_vi, what_en=what_en)
    session.add(CommuneDayOff(commune_id=commune_id, day=day, reason=entry.reason, make_up=make_up))
    session.flush()


def remove_day(session: Session, *, commune_id: int, day: date) -> CalendarDay:
    """Take a day off the commune's calendar; the removed day."""
    row = session.get(CommuneDayOff, (commune_id, day))
    if row is None:
        raise InvalidInput([FieldError(("day",), "day_not_listed", {"day": _shown(day)})])
    removed = CalendarDay(row.day, row.reason, row.make_up)
    session.delete(row)
    session.flush()
    return removed
