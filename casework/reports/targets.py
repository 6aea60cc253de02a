"""The plan's targets, measured from the data: each with its numerator, its denominator and
the list behind them (the cases or children that miss it), for any period and place.

The targets are data (``workflows/definitions/plans/targets.yaml``); what each measures is
code, one function per measure below, its docstring saying what counts:

- ``abused_helped``: of the children counted in 0101 (found abused in the period), those
  whose case kept every legal clock (NĐ56: emergency protection within 12 hours, the plan
  in 5 working days, its approval in 2): none missed, none running past due.
- ``abandoned_care``: of the children whose case, first reported in the period, found
  abandonment or neglect true, those who were given alternative care.
- ``special_supported``: of the children in special circumstances on the period's last
  day, those supported in the period (the Thông tư 13 figure).
- ``injury_rate``: children with a case of injury or drowning first reported in the period
  (not found untrue), per 100,000 children of the population figures.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import yaml
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from casework.deadlines.models import Deadline, DeadlineStatus
from casework.intake.models import HarmForm
from casework.reports import indicators
from casework.reports.indicators import ABUSE_FORMS, Where, reported_cases
from casework.reports.periods import Period
from casework.reports.timeliness import LEGAL_CLOCKS

TARGETS = Path(__file__).resolve().parents[2] / "workflows/definitions/plans/targets.yaml"
_D = Deadline.__table__


class _Words(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    vi: str
    en: str


class _Goal(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    at_least: float | None = None
    above: float | None = None
    at_most: float | None = None


class _Target(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    key: str = Field(pattern=r"^[a-z0-9_]{1,32}$")
    words: _Words
    measure: str
    goal: _Goal
    per: int = 100
    source: str


@dataclass(frozen=True)
class Target:
    key: str
    words: tuple[str, str]
    measure: str
    how: str  # at_least, above, at_most
    goal: float
    per: int  # 100: a share in %; 100,000: a rate per 100,000 children
    source: str

    def text(self, lang: str = "vi") -> str:
        return self.words[0] if lang == "vi" else self.words[1]

    def met_by(self, value: float) -> bool:
        if self.how == "at_least":
            return value >= self.goal
        if self.how == "above":
            return value > self.goal
        return value <= self.goal


@dataclass(frozen=True)
class Miss:
    """A case or a child behind a target's shortfall: a link and a few words, never a
    name (the list is shown only to the commune's caseworkers and supervisor)."""

    url: str
    label: str


@dataclass(frozen=True)
class Progress:
    target: Target
    numerator: int
    denominator: int  # 0: nothing to measure (no case, no population figures)
    misses: tuple[Miss, ...] = ()

    @property
    def value(self) -> float | None:
        if not self.denominator:
            return None
        return self.numerator * self.target.per / self.denominator

    @property
    def met(self) -> bool | None:
        return None if self.value is None else self.target.met_by(self.value)


@lru_cache(maxsize=1)
def defaults() -> tuple[Target, ...]:
    raw = yaml.safe_load(TARGETS.read_text(encoding="utf-8"))["targets"]
    found = []
    for entry in raw:
        target = _Target.model_validate(entry)
        how, goal = next((k, v) for k, v in target.goal.model_dump().items() if v is not None)
        if target.measure not in MEASURES:
            raise ValueError(f"target {target.key}: unknown measure {target.measure}")
        found.append(
            Target(
                target.key,
                (target.words.vi, target.words.en),
                target.measure,
                how,
                goal,
                target.per,
                target.source,
            )
        )
    return tuple(found)


Measure = Callable[[Session, Where, Period, ZoneInfo, datetime], tuple[int, int, list[Miss]]]


def _dialect(session: Session) -> str:
    return session.get_bind().dialect.name


def _case(code: str, why: str) -> Miss:
    return Miss(f"/ho-so/{code}", f"{code}: {why}")


def abused_helped(
    session: Session, where: Where, period: Period, tz: ZoneInfo, now: datetime
) -> tuple[int, int, list[Miss]]:
    """Abused children (0101's set: found true, under 16, once each) whose case kept every
    legal clock that ran."""
    cases = reported_cases(where, period, tz, ABUSE_FORMS, _dialect(session)).where(
        sa.literal_column("substantiated").is_(True)
    )
    rows = session.execute(cases.order_by(sa.text("received"))).all()
    counted, seen = [], set()
    for row in rows:
        if row.child_id in seen or row.age >= indicators.CHILD_AGE_LIMIT:
            continue
        seen.add(row.child_id)
        counted.append(row)
    late = dict(
        session.execute(
            sa.select(_D.c.case_id, sa.func.min(_D.c.kind))
            .where(
                _D.c.case_id.in_([r.id for r in counted] or [0]),
                _D.c.task_id.is_(None),
                _D.c.kind.in_(LEGAL_CLOCKS),
                sa.or_(
                    _D.c.status == DeadlineStatus.missed,
                    sa.and_(_D.c.status == DeadlineStatus.running, _D.c.due_at < now),
                ),
            )
            .group_by(_D.c.case_id)
        ).all()
    )
    misses = [_case(r.code, f"trễ hạn {late[r.id]}") for r in counted if r.id in late]
    return len(counted) - len(misses), len(counted), misses


def abandoned_care(
    session: Session, where: Where, period: Period, tz: ZoneInfo, now: datetime
) -> tuple[int, int, list[Miss]]:
    """Children whose case, first reported in the period, found abandonment true: those
    given alternative care (the case records when it started)."""
    cases = reported_cases(
        where, period, tz, (HarmForm.abandonment_neglect,), _dialect(session)
    ).where(sa.literal_column("substantiated").is_(True))
    rows = {r.child_id: r for r in session.execute(cases.order_by(sa.text("received"))).all()}
    misses = [
        _case(r.code, "chưa được chăm sóc thay thế")
        for r in rows.values()
        if r.alternative_care_started_at is None
    ]
    return len(rows) - len(misses), len(rows), misses


def special_supported(
    session: Session, where: Where, period: Period, tz: ZoneInfo, now: datetime
) -> tuple[int, int, list[Miss]]:
    """Children in special circumstances on the last day supported in the period."""
    figure = indicators.supported_children(session, where, period)
    lacking = indicators.children_in_groups(where, period.last).where(
        ~indicators.supported_in(period)
    )
    misses = [
        Miss(f"/tre-em/{child}", f"Trẻ số {child}: chưa có trợ giúp")
        for child in session.execute(lacking).scalars()
    ]
    return figure.value, figure.denominator or 0, misses


def injury_rate(
    session: Session, where: Where, period: Period, tz: ZoneInfo, now: datetime
) -> tuple[int, int, list[Miss]]:
    """Children with a case of injury or drowning first reported in the period (not found
    untrue), per 100,000 children."""
    cases = reported_cases(where, period, tz, (HarmForm.injury_drowning,), _dialect(session)).where(
        sa.or_(
            sa.literal_column("substantiated").is_(None),
            sa.literal_column("substantiated").is_(True),
        )
    )
    children = {r.child_id: r for r in session.execute(cases).all()}
    misses = [_case(r.code, "trẻ bị tai nạn thương tích") for r in children.values()]
    return len(children), indicators.children_living(session, where, year=period.year), misses


MEASURES: dict[str, Measure] = {
    "abused_helped": abused_helped,
    "abandoned_care": abandoned_care,
    "special_supported": special_supported,
    "injury_rate": injury_rate,
}


def progress(
    session: Session, where: Where, period: Period, tz: ZoneInfo, *, now: datetime
) -> list[Progress]:
    """Every target for the period and place."""
    found = []
    for target in defaults():
        numerator, denominator, misses = MEASURES[target.measure](session, where, period, tz, now)
        found.append(Progress(target, numerator, denominator, tuple(misses)))
    return found


def by_month(
    session: Session, where: Where, period: Period, tz: ZoneInfo, *, now: datetime
) -> list[tuple[date, list[Progress]]]:
    """The targets month by month over the period (each month on its own)."""
    months = []
    for first in period.months():
        last = min((first + timedelta(days=32)).replace(day=1) - timedelta(days=1), period.last)
        months.append((first, progress(session, where, Period(first, last), tz, now=now)))
    return months
