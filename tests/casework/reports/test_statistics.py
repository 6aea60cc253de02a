"""The statistics of Thông tư 13/2021 and the commune's timeliness figures, against a
fixture whose every answer is counted by hand below (never by the code under test).

The fixture, first half of 2026 (local dates, Asia/Ho_Chi_Minh):

- Hoa (girl, born 1/7/2015, Đồng Tâm): reported 23:30 on 30/6 local (16:30 UTC), sexual
  abuse and violence in the family, found true. Age 10 that day (her birthday is 1/7).
- Nam (boy, born 2020, Bản Chắt): reported 00:10 on 1/7 local (17:10 UTC on 30/6):
  the second half, not the first.
- Cường (boy, born 2012, no date of birth, Đồng Tâm): reported 00:30 on 1/1/2026 local
  (17:30 UTC on 31/12/2025), abandonment in the community, found true. Age 14.
- Dung (girl, born 1/3/2009): 17, found true: reported, not counted (not a child, Đ1).
- Em (girl, born 5/5/2021, Nà Pàn): a first case found untrue and closed (February), a
  second found true (April, abuse online at school). Counted once, with the second.
- Phúc (girl): drowning only, found true: no form of abuse, not counted.
- Giang (boy): sexual abuse reported in May, not yet assessed: reported, not counted.
- Hùng (boy): violence reported in March 2025, found true: last year's same period.

So 0101 for the half is 3 (Hoa, Cường, Em): 2 girls and 1 boy; one per age group; family,
community and school; sexual abuse, violence, abandonment and abuse online (4 forms for 3
children); Đồng Tâm 2, Nà Pàn 1. Last year's same half: 1.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest
from sqlmodel import select

from casework.accounts.models import Role, User
from casework.agencies.models import Agency, AgencyKind
from casework.cases.models import TaskStatus
from casework.children.models import CircumstanceGroup, Sex
from casework.deadlines.models import DeadlineStatus
from casework.registry.models import SupportKind
from casework.reports import periods
from casework.reports.figures import suppress
from casework.reports.indicators import Where
from casework.reports.models import ChildPopulation
from casework.reports.statistics import statistics
from tests.factories.communes import create_commune
from tests.factories.records import add_child, village_of
from tests.factories.registry import add_group, add_support
from tests.factories.statistics import clock, reported_case, task

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 7, 2, 3, 0, tzinfo=UTC)
H1 = periods.standard("2026-H1")


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=UTC)


@pytest.fixture
def place(session, now):
    commune = create_commune(session, now=now)

    def child(name, sex, born, village="Thôn Đồng Tâm", year=None):
        return add_child(
            session,
            commune,
            now=now,
            full_name=name,
            sex=sex,
            date_of_birth=born,
            birth_year=year or born.year,
            village=village,
            personal_id=None,
        )

    kids = {
        "hoa": child("Lò Thị Hoa", "female", date(2015, 7, 1)),
        "nam": child("Vi Văn Nam", "male", date(2020, 2, 10), "Thôn Bản Chắt"),
        "cuong": child("Hoàng Văn Cường", "male", None, year=2012),
        "dung": child("Nông Thị Dung", "female", date(2009, 3, 1)),
        "em": child("Lục Thị Em", "female", date(2021, 5, 5), "Xóm Nà Pàn"),
        "phuc": child("Mã Thị Phúc", "female", date(2016, 1, 1)),
        "giang": child("Chu Văn Giang", "male", date(2014, 1, 1)),
        "hung": child("Hà Văn Hùng", "male", date(2013, 1, 1)),
        "ich": child("Triệu Văn Ích", "male", date(2017, 1, 1)),
        "kim": child("Đàm Thị Kim", "female", date(2011, 1, 1)),
    }
    cases = {
        "hoa": reported_case(
            session,
            kids["hoa"],
            received=utc(2026, 6, 30, 16, 30),
            forms=["sexual_abuse", "violence"],
        ),
        "nam": reported_case(
            session, kids["nam"], received=utc(2026, 6, 30, 17, 10), forms=["violence"]
        ),
        "cuong": reported_case(
            session,
            kids["cuong"],
            received=utc(2025, 12, 31, 17, 30),
            forms=["abandonment_neglect"],
            setting="community",
        ),
        "dung": reported_case(
            session, kids["dung"], received=utc(2026, 3, 1, 2), forms=["violence"]
        ),
        "em_untrue": reported_case(
            session,
            kids["em"],
            received=utc(2026, 2, 1, 2),
            forms=["violence"],
            substantiated=False,
            closed=True,
        ),
        "em": reported_case(
            session,
            kids["em"],
            received=utc(2026, 4, 1, 2),
            forms=["online_abuse"],
            setting="school",
        ),
        "phuc": reported_case(
            session, kids["phuc"], received=utc(2026, 5, 1, 2), forms=["injury_drowning"]
        ),
        "giang": reported_case(
            session,
            kids["giang"],
            received=utc(2026, 5, 2, 2),
            forms=["sexual_abuse"],
            substantiated=None,
        ),
        "hung": reported_case(
            session, kids["hung"], received=utc(2025, 3, 10, 2), forms=["violence"]
        ),
    }
    session.commit()
    return commune, kids, cases


def figures(session, commune, *, village=None):
    where = Where((commune.id,), village)
    return statistics(session, where, H1, TZ, now=NOW, place=commune.name)


def test_abused_children_0101_counts_each_child_once_by_local_day_of_first_report(session, place):
    commune, _, _ = place
    stats = figures(session, commune)
    abused = stats.now.indicator("abused_children")
    assert abused.code == "0101"
    assert abused.value == 3
    assert [(c.key, c.value) for c in abused.breakdown("sex").cells] == [("male", 1), ("female", 2)]
    assert [(c.key, c.value) for c in abused.breakdown("age_group").cells] == [
        ("0-5", 1),
        ("6-10", 1),
        ("11-15", 1),
    ]
    setting = abused.breakdown("setting")
    assert (setting.value("family"), setting.value("community"), setting.value("school")) == (
        1,
        1,
        1,
    )
    assert sum(c.value for c in setting.cells) == 3
    form = abused.breakdown("form")
    assert {c.key: c.value for c in form.cells if c.value} == {
        "sexual_abuse": 1,
        "violence": 1,
        "abandonment_neglect": 1,
        "online_abuse": 1,
    }
    assert form.overlapping
    villages = {c.text(): c.value for c in abused.breakdown("village").cells}
    assert villages == {"Thôn Bản Chắt": 0, "Thôn Đồng Tâm": 2, "Xóm Nà Pàn": 1}
    assert "Được báo cáo: 5 trẻ" in abused.note[0]  # Hoa, Cường, Dung, Em, Giang
    assert "từ 16 tuổi trở lên (không tính): 1" in abused.note[0]
    assert stats.before.indicator("abused_children").value == 1  # Hùng, March 2025


def test_a_report_at_2330_on_30_june_local_time_belongs_to_the_first_half(session, place):
    commune, _, _ = place
    second = periods.standard("2026-H2")
    where = Where((commune.id,))
    later = statistics(session, where, second, TZ, now=NOW, place="")
    assert later.now.indicator("abused_children").value == 1  # Nam, 00:10 on 1/7 local
    first = figures(session, commune).now.indicator("abused_children")
    assert first.breakdown("age_group").value("6-10") == 1  # Hoa, still 10 on 30/6


def test_a_village_sees_only_its_children(session, place):
    commune, _, _ = place
    village = village_of(session, commune, "Thôn Đồng Tâm")
    abused = figures(session, commune, village=village.id).now.indicator("abused_children")
    assert abused.value == 2  # Hoa and Cường
    assert [b.key for b in abused.breakdowns] == ["sex", "age_group", "setting", "form"]


def test_rate_per_100000_children_comes_from_the_population_figures(session, place, now):
    commune, _, _ = place
    assert figures(session, commune).now.indicator("abused_children").rate is None
    for sex, children in (("male", 800), ("female", 700)):
        session.add(
            ChildPopulation(
                commune_id=commune.id,
                year=2026,
                sex=sex,
                age_group="6-10",
                children=children,
                recorded_at=now,
            )
        )
    session.commit()
    abused = figures(session, commune).now.indicator("abused_children")
    assert abused.denominator == 1500
    assert abused.rate == pytest.approx(200.0)  # 3 × 100,000 / 1,500


def test_children_in_special_circumstances_and_those_supported(session, place, now):
    commune, kids, _ = place
    by = session.exec(select(User).where(User.role == Role.caseworker)).first().id
    care = SupportKind.psychological
    add_group(session, kids["hoa"], CircumstanceGroup.l, since=date(2026, 5, 1))
    add_support(session, kids["hoa"], care, since=date(2026, 5, 10), by=by, now=now)
    ended = date(2026, 3, 1)
    add_group(session, kids["cuong"], CircumstanceGroup.b, since=date(2024, 1, 1), until=ended)
    add_group(session, kids["em"], CircumstanceGroup.i, since=date(2026, 4, 1))
    add_group(session, kids["em"], CircumstanceGroup.d, since=date(2023, 1, 1))
    add_group(session, kids["ich"], CircumstanceGroup.a, since=date(2020, 1, 1), at_risk=True)
    add_group(session, kids["kim"], CircumstanceGroup.a, since=date(2020, 1, 1))
    last_year = (date(2025, 1, 1), date(2025, 12, 31))
    add_support(session, kids["kim"], care, since=last_year[0], until=last_year[1], by=by, now=now)
    session.commit()
    stats = figures(session, commune)
    special = stats.now.indicator("special_circumstances")
    assert special.value == 3  # Hoa, Em (two groups, once), Kim; Cường ended, Ích at risk
    groups = {c.key: c.value for c in special.breakdown("group").cells if c.value}
    assert groups == {"l": 1, "i": 1, "d": 1, "a": 1}
    helped = stats.now.indicator("supported_children")
    assert (helped.value, helped.denominator) == (1, 3)  # Hoa; Kim's ended before the half
    assert helped.rate == pytest.approx(100 / 3)


def test_legal_clocks_kept_first_answers_and_declined_tasks(session, place):
    commune, _, cases = place
    hoa, cuong, em = cases["hoa"], cases["cuong"], cases["em"]
    start = utc(2026, 3, 1, 2)
    clock(
        session,
        hoa,
        "emergency_measures",
        starts_at=start,
        due_at=utc(2026, 3, 1, 14),
        status=DeadlineStatus.met,
    )
    clock(
        session,
        cuong,
        "emergency_measures",
        starts_at=start,
        due_at=utc(2026, 3, 1, 14),
        status=DeadlineStatus.missed,
    )
    clock(
        session,
        em,
        "emergency_measures",
        starts_at=start,
        due_at=utc(2026, 3, 1, 14),
        status=DeadlineStatus.running,
    )
    clock(
        session,
        hoa,
        "plan_draft",
        starts_at=utc(2026, 6, 29, 2),
        due_at=utc(2026, 7, 6, 2),
        status=DeadlineStatus.running,
    )
    clock(
        session,
        cuong,
        "plan_draft",
        starts_at=utc(2025, 12, 1, 2),
        due_at=utc(2025, 12, 5, 2),
        status=DeadlineStatus.met,
    )
    police = session.exec(
        select(Agency).where(Agency.commune_id == commune.id, Agency.kind == AgencyKind.police)
    ).one()
    health = session.exec(
        select(Agency).where(
            Agency.commune_id == commune.id, Agency.kind == AgencyKind.health_station
        )
    ).one()
    task(
        session,
        hoa,
        police,
        starts_at=utc(2026, 2, 1),
        answered_at=utc(2026, 2, 1, 2),
        status=TaskStatus.accepted,
    )
    task(
        session,
        cuong,
        police,
        starts_at=utc(2026, 2, 2),
        answered_at=utc(2026, 2, 2, 6),
        status=TaskStatus.declined,
    )
    task(
        session, em, police, starts_at=utc(2026, 2, 3), answered_at=None, status=TaskStatus.planned
    )
    task(session, em, police, starts_at=utc(2026, 2, 4), answered_at=None, status=TaskStatus.open)
    task(
        session,
        em,
        health,
        starts_at=utc(2026, 2, 5),
        answered_at=utc(2026, 2, 5, 1),
        status=TaskStatus.done,
    )
    session.commit()
    stats = figures(session, commune)
    emergency = stats.now.indicator("clock_emergency_measures")
    assert (emergency.value, emergency.denominator) == (1, 3)  # met; missed; running, past due
    assert emergency.breakdown("state").value("overdue") == 1
    plan = stats.now.indicator("clock_plan_draft")
    assert (plan.value, plan.denominator, plan.rate) == (0, None, None)  # still in time
    assert plan.breakdown("state").value("running") == 1
    first = stats.now.first_action
    assert (first.hours, first.count) == (pytest.approx(2.0), 3)  # 1, 2 and 6 hours
    by_kind = {cell.key: hours for cell, hours in first.by}
    assert by_kind == {"police": pytest.approx(4.0), "health_station": pytest.approx(1.0)}
    declined = stats.now.indicator("declined_tasks")
    assert (declined.value, declined.denominator) == (1, 4)  # the planned one is not given yet
    assert declined.breakdown("agency").value("police") == 1


def test_small_counts_are_hidden_from_the_province_and_cannot_be_derived(session, place):
    commune, _, _ = place
    abused = figures(session, commune).now.indicator("abused_children")
    hidden = suppress(abused)
    assert hidden.shown() == "< 5"
    sex = hidden.breakdown("sex")
    assert [c.shown() for c in sex.cells] == ["< 5", "< 5"]
    assert "1" not in {c.shown() for b in hidden.breakdowns for c in b.cells}


def test_one_hidden_cell_takes_the_smallest_other_with_it():
    from casework.reports.figures import Breakdown, Cell, Figure

    figure = Figure(
        "x",
        None,
        ("x", "x"),
        20,
        breakdowns=(
            Breakdown(
                "sex",
                ("Giới tính", "Sex"),
                (Cell("male", ("Nam", "Male"), 17), Cell("female", ("Nữ", "Female"), 3)),
            ),
        ),
    )
    cells = suppress(figure).breakdown("sex").cells
    assert [c.shown() for c in cells] == ["—", "< 5"]  # 17 would give 20 − 17 = 3 away
    assert suppress(figure).shown() == "20"


def test_periods_are_local_days_with_the_same_period_a_year_earlier():
    half = periods.standard("2026-H1")
    start, end = half.bounds(TZ)
    assert (start, end) == (utc(2025, 12, 31, 17), utc(2026, 6, 30, 17))
    assert half.previous_year() == periods.standard("2025-H1")
    assert periods.Period(date(2024, 2, 29), date(2024, 3, 31)).previous_year().first == date(
        2023, 2, 28
    )
    assert periods.last_complete_half(date(2026, 12, 4)).key == "2026-H1"
    assert Sex.female.value == "female"
