"""The national statistics the commune reports, counted from its data (Thông tư
13/2021/TT-BLĐTBXH, "Bộ chỉ tiêu thống kê về tình hình trẻ em và tình hình xâm hại trẻ em,
xử lý vi phạm hành chính đối với các hành vi xâm hại trẻ em", 30/9/2021).

One function per indicator, its docstring citing the circular. What could be read of the
circular: Phụ lục I lists the indicators on children (among them, under "Bảo vệ trẻ em",
"Số lượng, tỷ lệ trẻ em có hoàn cảnh đặc biệt" and "Số lượng, tỷ lệ trẻ em có hoàn cảnh
đặc biệt được trợ giúp"); Phụ lục IV defines the indicators on abuse, beginning with 0101
"Số trẻ em bị xâm hại", split by sex, age group, setting of abuse and form of abuse. The
codes of the Phụ lục I indicators could not be read, so they are named by their titles
only, never by a guessed code; nor could the edges of the circular's age groups, so
``AGE_GROUPS`` is the commune's own split of children under 16 (Luật Trẻ em Đ1), kept
here as data, in one place, to change when the circular's table is at hand.

Every count is of children, each once (a child with two reports in the period counts
once), and set-based: a few queries per indicator, whatever the number of cases.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session

from casework.cases.models import ProtectionCase
from casework.children.models import Child, ChildCircumstance, CircumstanceGroup, Sex
from casework.communes.models import Village
from casework.intake.models import HarmForm, Report, ReportHarmForm, Setting
from casework.registry.models import ChildSupport
from casework.reports.figures import Breakdown, Cell, Figure, cell_of
from casework.reports.models import ChildPopulation
from casework.reports.periods import Period

_R = Report.__table__
_H = ReportHarmForm.__table__
_C = ProtectionCase.__table__
_K = Child.__table__
_M = ChildCircumstance.__table__
_S = ChildSupport.__table__
_P = ChildPopulation.__table__


@dataclass(frozen=True)
class AgeGroup:
    key: str
    words: tuple[str, str]
    youngest: int
    oldest: int


AGE_GROUPS = (
    AgeGroup("0-5", ("Dưới 6 tuổi", "Under 6"), 0, 5),
    AgeGroup("6-10", ("Từ 6 đến dưới 11 tuổi", "6 to 10"), 6, 10),
    AgeGroup("11-15", ("Từ 11 đến dưới 16 tuổi", "11 to 15"), 11, 15),
)
CHILD_AGE_LIMIT = 16  # Luật Trẻ em Đ1: a child is a person under 16

# The forms of abuse of Luật Trẻ em Đ4 k5 ("bạo lực, bóc lột, xâm hại tình dục, mua bán,
# bỏ rơi, bỏ mặc") among what intake records; abuse online is sexual abuse or violence
# done through the network (Đ4 k5, NĐ56 Đ34). Drowning and injury, child marriage and the
# risk of dropping out are harms the commune handles, not forms of abuse.
ABUSE_FORMS = (
    HarmForm.violence,
    HarmForm.exploitation,
    HarmForm.sexual_abuse,
    HarmForm.trafficking,
    HarmForm.abandonment_neglect,
    HarmForm.online_abuse,
)


@dataclass(frozen=True)
class Where:
    """Whose figures: communes, and within a single commune one village (or all); for the
    figures on tasks, one agency (or all)."""

    commune_ids: tuple[int, ...]
    village_id: int | None = None
    agency_id: int | None = None

    def children(self) -> sa.ColumnElement[bool]:
        """Condition on ``child``."""
        found = [_K.c.commune_id.in_(self.commune_ids), _K.c.merged_into_id.is_(None)]
        if self.village_id is not None:
            found.append(_K.c.village_id == self.village_id)
        return sa.and_(*found)


def _age_cells(counts: Counter[str]) -> tuple[Cell, ...]:
    return tuple(Cell(g.key, g.words, counts[g.key]) for g in AGE_GROUPS)


def _village_cells(session: Session, where: Where, counts: Counter[int | None]) -> tuple[Cell, ...]:
    villages = session.execute(
        sa.select(Village.id, Village.name)
        .where(Village.commune_id.in_(where.commune_ids), Village.live())
        .order_by(Village.name)
    ).all()
    cells = [Cell(str(v.id), (v.name, v.name), counts[v.id]) for v in villages]
    moved = sum(n for key, n in counts.items() if key not in {v.id for v in villages})
    if moved:
        cells.append(Cell("", ("Chưa rõ thôn", "Village unknown"), moved))
    return tuple(cells)


def local_age(
    dialect: str, received: Any, born: Any, birth_year: Any, tz: ZoneInfo, period: Period
) -> sa.ColumnElement[int]:
    """SQL: the child's completed years on the local day of ``received`` (from the date of
    birth, or the birth year when only that is known). PostgreSQL converts with the zone's
    rules; SQLite adds the zone's offset, which is one for the whole period where the zone
    keeps no summer time (Asia/Ho_Chi_Minh has kept none since 1975)."""
    if dialect == "postgresql":
        local = sa.func.timezone(tz.key, received)
        exact = sa.extract("year", sa.func.age(sa.cast(local, sa.Date), born))
        by_year = sa.extract("year", local) - birth_year
    else:
        noon = datetime.combine(period.first, time(12), tzinfo=tz)
        offset = int(noon.utcoffset().total_seconds())  # type: ignore[union-attr]
        local = sa.func.datetime(received, f"{offset:+d} seconds")

        def year(value: Any) -> Any:
            return sa.cast(sa.func.strftime("%Y", value), sa.Integer)

        def month_day(value: Any) -> Any:
            return sa.func.strftime("%m-%d", value)

        before = sa.case((month_day(local) < month_day(born), 1), else_=0)
        exact = year(local) - year(born) - before
        by_year = year(local) - birth_year
    return sa.cast(sa.case((born.is_not(None), exact), else_=by_year), sa.Integer)


def reported_cases(
    where: Where,
    period: Period,
    tz: ZoneInfo,
    forms: Sequence[HarmForm],
    dialect: str,
) -> sa.Select[Any]:
    """Cases whose earliest report was received in the period (local days) and whose
    reports name one of ``forms``, with their child's facts: one row per case (``id``,
    ``code``, ``commune_id``, ``child_id``, ``substantiated``,
    ``alternative_care_started_at``, the child's ``village_id``, ``sex``,
    ``date_of_birth``, ``birth_year``, ``received`` and ``age`` that local day)."""
    start, end = period.bounds(tz)
    first = (
        sa.select(_R.c.case_id, sa.func.min(_R.c.first_received_at).label("received"))
        .where(_R.c.commune_id.in_(where.commune_ids))
        .group_by(_R.c.case_id)
        .subquery()
    )
    named = (
        sa.select(sa.literal(1))
        .select_from(_R.join(_H, _H.c.report_id == _R.c.id))
        .where(_R.c.case_id == _C.c.id, _H.c.form.in_([f.value for f in forms]))
        .exists()
    )
    return (
        sa.select(
            _C.c.id,
            _C.c.code,
            _C.c.commune_id,
            _C.c.child_id,
            _C.c.substantiated,
            _C.c.alternative_care_started_at,
            _K.c.village_id,
            _K.c.sex,
            _K.c.date_of_birth,
            _K.c.birth_year,
            first.c.received,
            local_age(
                dialect, first.c.received, _K.c.date_of_birth, _K.c.birth_year, tz, period
            ).label("age"),
        )
        .select_from(_C.join(first, first.c.case_id == _C.c.id).join(_K, _K.c.id == _C.c.child_id))
        .where(first.c.received >= start, first.c.received < end, named, where.children())
    )


@dataclass(frozen=True)
class AbuseGroup:
    """Abused children of one commune, village, sex, age group and setting."""

    commune_id: int
    village_id: int | None
    sex: str
    age_group: str
    setting: str
    children: int


@dataclass(frozen=True)
class AbuseCounts:
    groups: tuple[AbuseGroup, ...]
    forms: Counter[str]  # children per form of abuse (a child under each of theirs)
    reported: int  # children with a case of abuse first reported in the period
    older: int  # of them, 16 or more that day


def abuse_counts(session: Session, where: Where, period: Period, tz: ZoneInfo) -> AbuseCounts:
    """0101's counts, set-based: each child once, with the first case found true while
    under 16 (``row_number`` over the child's cases by first receipt), grouped in SQL."""
    dialect = session.get_bind().dialect.name
    cases = reported_cases(where, period, tz, ABUSE_FORMS, dialect).subquery("cases")
    ranked = (
        sa.select(
            cases,
            sa.func.row_number()
            .over(partition_by=cases.c.child_id, order_by=(cases.c.received, cases.c.id))
            .label("rank"),
        )
        .where(cases.c.substantiated.is_(True), cases.c.age < CHILD_AGE_LIMIT)
        .subquery("ranked")
    )
    first_setting = (
        sa.select(_R.c.setting)
        .where(_R.c.case_id == ranked.c.id)
        .order_by(_R.c.first_received_at, _R.c.id)
        .limit(1)
        .scalar_subquery()
    )
    band = sa.case(
        *((ranked.c.age <= g.oldest, g.key) for g in AGE_GROUPS[:-1]), else_=AGE_GROUPS[-1].key
    )
    counted = (
        sa.select(
            ranked.c.id,
            ranked.c.child_id,
            ranked.c.commune_id,
            ranked.c.village_id,
            ranked.c.sex,
            band.label("age_group"),
            first_setting.label("setting"),
        )
        .where(ranked.c.rank == 1)
        .subquery("counted")
    )
    keys = (
        counted.c.commune_id,
        counted.c.village_id,
        counted.c.sex,
        counted.c.age_group,
        counted.c.setting,
    )
    groups = tuple(
        AbuseGroup(*row)
        for row in session.execute(sa.select(*keys, sa.func.count()).group_by(*keys)).all()
    )
    forms = Counter(
        dict(
            session.execute(
                sa.select(_H.c.form, sa.func.count(sa.distinct(counted.c.child_id)))
                .select_from(
                    counted.join(_R, _R.c.case_id == counted.c.id).join(
                        _H, _H.c.report_id == _R.c.id
                    )
                )
                .where(_H.c.form.in_([f.value for f in ABUSE_FORMS]))
                .group_by(_H.c.form)
            ).all()
        )
    )
    older_child = sa.case((cases.c.age >= CHILD_AGE_LIMIT, cases.c.child_id))
    reported, older = session.execute(
        sa.select(
            sa.func.count(sa.distinct(cases.c.child_id)), sa.func.count(sa.distinct(older_child))
        )
    ).one()
    return AbuseCounts(groups, forms, reported, older)


def abused_children(session: Session, where: Where, period: Period, tz: ZoneInfo) -> Figure:
    """**0101 Số trẻ em bị xâm hại** (Thông tư 13/2021, Phụ lục IV, I. Tình hình xâm hại
    trẻ em): children under 16 harmed in body, feelings, mind, honour or dignity by
    violence, exploitation, sexual abuse, trafficking, abandonment, neglect or another
    form of harm. Split by sex, age group, setting of abuse (môi trường xâm hại) and form
    of abuse (hình thức xâm hại).

    Counted here: each child once whose case the initial assessment found true
    (``substantiated``) with at least one form of abuse reported, by the day the case was
    first reported (local date of its earliest receipt) falling in the period. Sex is the
    child's, the age group the child's age that day, the setting that of the first report,
    the forms every form of abuse the case's reports name (a child may suffer several, so
    that breakdown may add up to more than the total). Rate: per 100,000 children of the
    population figures for the period's year."""
    found = abuse_counts(session, where, period, tz)
    sex: Counter[str] = Counter()
    ages: Counter[str] = Counter()
    places: Counter[str] = Counter()
    villages: Counter[int | None] = Counter()
    for group in found.groups:
        sex[group.sex] += group.children
        ages[group.age_group] += group.children
        places[group.setting] += group.children
        villages[group.village_id] += group.children
    kinds = found.forms
    counted = sum(sex.values())
    population = children_living(session, where, year=period.year)
    breakdowns = [
        Breakdown("sex", ("Giới tính", "Sex"), tuple(cell_of(s, sex[s.value]) for s in Sex)),
        Breakdown("age_group", ("Nhóm tuổi", "Age group"), _age_cells(ages)),
        Breakdown(
            "setting",
            ("Môi trường xâm hại", "Setting of abuse"),
            tuple(cell_of(s, places[s.value]) for s in Setting),
        ),
        Breakdown(
            "form",
            ("Hình thức xâm hại", "Form of abuse"),
            tuple(cell_of(f, kinds[f.value]) for f in ABUSE_FORMS),
            overlapping=True,
        ),
    ]
    if where.village_id is None:
        breakdowns.append(
            Breakdown("village", ("Thôn", "Village"), _village_cells(session, where, villages))
        )
    reported, older = found.reported, found.older
    awaiting = max(0, reported - counted - older)
    return Figure(
        "abused_children",
        "0101",
        ("Số trẻ em bị xâm hại", "Number of abused children"),
        counted,
        denominator=population or None,
        per=100_000,
        breakdowns=tuple(breakdowns),
        note=(
            f"Được báo cáo: {reported} trẻ; chưa xác minh hoặc không đúng sự thật: "
            f"{awaiting}; từ 16 tuổi trở lên (không tính): {older}.",
            f"Reported: {reported}; not yet assessed or found untrue: {awaiting}; "
            f"aged 16 or more (not counted): {older}.",
        ),
    )


def _current_on(day: date) -> sa.ColumnElement[bool]:
    """A membership of a group (not an at-risk mark) that held on ``day``."""
    return sa.and_(
        _M.c.at_risk.is_(False),
        _M.c.since <= day,
        sa.or_(_M.c.until.is_(None), _M.c.until > day),
    )


def children_in_groups(where: Where, day: date) -> sa.Select[Any]:
    """The ids of the children in one of the 14 groups on ``day`` (``child_circumstance``
    rows as ``_M``, for conditions on them)."""
    return (
        sa.select(_M.c.child_id)
        .select_from(_M.join(_K, _K.c.id == _M.c.child_id))
        .where(_current_on(day), where.children())
        .distinct()
    )


def supported_in(period: Period) -> sa.ColumnElement[bool]:
    """Condition on ``child_circumstance``: its child received some support in the period."""
    return (
        sa.select(sa.literal(1))
        .where(
            _S.c.child_id == _M.c.child_id,
            _S.c.since <= period.last,
            sa.or_(_S.c.until.is_(None), _S.c.until >= period.first),
        )
        .exists()
    )


def special_circumstances(session: Session, where: Where, period: Period) -> Figure:
    """**Số lượng, tỷ lệ trẻ em có hoàn cảnh đặc biệt** (Thông tư 13/2021, Phụ lục I, Bảo
    vệ trẻ em): children in one of the 14 groups of Luật Trẻ em Đ10 on the period's last
    day, each once, from the register; by group (a child in two groups is in both
    cells). Share: of all children of the population figures for the period's year."""
    day = period.last
    rows = session.execute(
        sa.select(_M.c.group, sa.func.count(sa.distinct(_M.c.child_id)))
        .select_from(_M.join(_K, _K.c.id == _M.c.child_id))
        .where(_current_on(day), where.children())
        .group_by(_M.c.group)
    ).all()
    total = session.execute(
        sa.select(sa.func.count(sa.distinct(_M.c.child_id)))
        .select_from(_M.join(_K, _K.c.id == _M.c.child_id))
        .where(_current_on(day), where.children())
    ).scalar_one()
    counts = dict(rows)
    population = children_living(session, where, year=period.year)
    return Figure(
        "special_circumstances",
        None,
        ("Số lượng, tỷ lệ trẻ em có hoàn cảnh đặc biệt", "Children in special circumstances"),
        total,
        denominator=population or None,
        per=100,
        breakdowns=(_by_group(counts),),
    )


def _by_group(counts: dict[str, int]) -> Breakdown:
    return Breakdown(
        "group",
        ("Nhóm hoàn cảnh đặc biệt (Luật Trẻ em Điều 10)", "Group (Law on Children Art. 10)"),
        tuple(cell_of(g, counts.get(g.value, 0)) for g in CircumstanceGroup),
        overlapping=True,
    )


def supported_children(session: Session, where: Where, period: Period) -> Figure:
    """**Số lượng, tỷ lệ trẻ em có hoàn cảnh đặc biệt được trợ giúp** (Thông tư 13/2021,
    Phụ lục I, Bảo vệ trẻ em): of the children in special circumstances on the period's
    last day, those who received some support (an allowance, health insurance, alternative
    care, …) at any time in the period; by group. Share: of the children in special
    circumstances."""
    day = period.last
    helped = supported_in(period)
    base = (
        sa.select()
        .select_from(_M.join(_K, _K.c.id == _M.c.child_id))
        .where(_current_on(day), where.children())
    )
    counts = dict(
        session.execute(
            base.add_columns(_M.c.group, sa.func.count(sa.distinct(_M.c.child_id)))
            .where(helped)
            .group_by(_M.c.group)
        ).all()
    )
    total, helped_total = session.execute(
        base.add_columns(
            sa.func.count(sa.distinct(_M.c.child_id)),
            sa.func.count(sa.distinct(sa.case((helped, _M.c.child_id)))),
        )
    ).one()
    return Figure(
        "supported_children",
        None,
        (
            "Số lượng, tỷ lệ trẻ em có hoàn cảnh đặc biệt được trợ giúp",
            "Children in special circumstances who received support",
        ),
        helped_total,
        denominator=total or None,
        per=100,
        breakdowns=(_by_group(counts),),
    )


def children_living(session: Session, where: Where, *, year: int) -> int:
    """How many children the population figures give for the year (0: none entered)."""
    query = sa.select(sa.func.coalesce(sa.func.sum(_P.c.children), 0)).where(
        _P.c.commune_id.in_(where.commune_ids), _P.c.year == year
    )
    if where.village_id is not None:
        query = query.where(_P.c.village_id == where.village_id)
    return int(session.execute(query).scalar_one())


def all_indicators(
    session: Session, where: Where, period: Period, tz: ZoneInfo
) -> tuple[Figure, ...]:
    """The circular's indicators, in its order."""
    return (
        abused_children(session, where, period, tz),
        special_circumstances(session, where, period),
        supported_children(session, where, period),
    )
