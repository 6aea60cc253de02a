"""The plan's targets measured from the data, with the cases behind each shortfall; counted
by hand here."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from casework.deadlines.models import DeadlineStatus
from casework.reports import periods, targets
from casework.reports.indicators import Where
from casework.reports.models import ChildPopulation
from tests.factories.communes import create_commune
from tests.factories.records import add_child
from tests.factories.statistics import clock, reported_case

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
NOW = datetime(2026, 7, 2, 3, tzinfo=UTC)


@pytest.fixture
def measured(session, now):
    commune = create_commune(session, now=now)

    def child(name, born=date(2015, 3, 1)):
        return add_child(
            session, commune, now=now, full_name=name, date_of_birth=born,
            birth_year=born.year, personal_id=None,
        )  # fmt: skip

    at = datetime(2026, 3, 1, 2, tzinfo=UTC)
    late = reported_case(session, child("Lò Thị An"), received=at, forms=["violence"])
    clock(session, late, "emergency_measures", starts_at=at, due_at=at, status=DeadlineStatus.met)
    clock(session, late, "plan_draft", starts_at=at, due_at=at, status=DeadlineStatus.missed)
    kept = reported_case(session, child("Vi Văn Bình"), received=at, forms=["sexual_abuse"])
    clock(session, kept, "plan_draft", starts_at=at, due_at=at, status=DeadlineStatus.met)
    cared = reported_case(session, child("Hà Thị Cúc"), received=at, forms=["abandonment_neglect"])
    cared.alternative_care_started_at = at
    left = reported_case(session, child("Mã Văn Dũng"), received=at, forms=["abandonment_neglect"])
    reported_case(session, child("Nông Thị Én"), received=at, forms=["injury_drowning"],
                  substantiated=None)  # fmt: skip
    untrue = reported_case(session, child("Chu Văn Phú"), received=at, forms=["injury_drowning"],
                           substantiated=False, closed=True)  # fmt: skip
    session.add(
        ChildPopulation(commune_id=commune.id, year=2026, sex="female", age_group="6-10",
                        children=2000, recorded_at=now)
    )  # fmt: skip
    session.commit()
    return commune, {"late": late, "left": left, "untrue": untrue}


def by_key(session, commune):
    found = targets.progress(
        session, Where((commune.id,)), periods.standard("2026-H1"), TZ, now=NOW
    )
    return {p.target.key: p for p in found}


def test_each_target_has_its_numerator_denominator_and_the_cases_behind_it(session, measured):
    commune, cases = measured
    found = by_key(session, commune)
    helped = found["abused_helped"]
    # An, Bình and the two abandoned children are abused (0101); An's plan was late.
    assert (helped.numerator, helped.denominator) == (3, 4)
    assert helped.met is False
    assert [m.url for m in helped.misses] == [f"/ho-so/{cases['late'].code}"]
    care = found["abandoned_care"]
    assert (care.numerator, care.denominator, care.value) == (1, 2, 50.0)
    assert [m.url for m in care.misses] == [f"/ho-so/{cases['left'].code}"]
    injured = found["injury_rate"]
    assert (injured.numerator, injured.denominator) == (1, 2000)  # Phú's was found untrue
    assert injured.value == pytest.approx(50.0)
    assert injured.met is True  # at most 80 per 100,000
    assert found["special_supported"].met is None  # nobody on the register: nothing to say


def test_the_targets_page_shows_a_chart_and_a_table_and_the_list_only_to_the_office(
    client, browser_for, session, measured
):
    from sqlmodel import select

    from casework.accounts.models import User

    caseworker = session.exec(select(User).where(User.username == "td.caseworker")).one()
    page = client.get("/chi-tieu?nam=2026", headers=browser_for(caseworker))
    assert page.status_code == 200
    assert page.text.count('src="data:image/svg+xml') == 4
    assert f"/ho-so/{measured[1]['late'].code}" in page.text
    assert "Lò Thị An" not in page.text
    officer = session.exec(select(User).where(User.username == "td.police.officer")).one()
    assert client.get("/chi-tieu", headers=browser_for(officer)).status_code == 404
