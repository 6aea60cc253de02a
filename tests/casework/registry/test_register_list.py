"""Sổ theo dõi trẻ em có hoàn cảnh đặc biệt: filtered by village, group (or at risk), age,
support; searched without diacritics; in Vietnamese order; for the commune's caseworkers
and supervisor only; every page audited with ids, never the words searched."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from casework.audit.models import AuditEntry
from casework.children.models import Child, CircumstanceGroup
from casework.registry.models import SupportKind
from casework.registry.review.models import Answer, ReviewItem, VillageReview
from tests.casework.children.test_pages import counting
from tests.factories.registry import add_child, add_group, add_support

API = "/api/v1/registry/children"


@pytest.fixture
def caseworker(world, browser_for):
    return browser_for(world.own.people["caseworker"])


@pytest.fixture
def register(session, world, now):
    """Children of the own commune besides the world's Nguyễn Thị Hoa (born 2016-05-14)."""
    own = world.own.commune
    made = {
        "dat": add_child(session, own, "Vũ Văn Đạt", now=now, born=date(2016, 3, 2)),
        "an": add_child(session, own, "Nguyễn Văn An", now=now, born=date(2016, 3, 3)),
        "an2": add_child(
            session, own, "Lò Văn Ân", now=now, born=None, birth_year=2019, village="Xóm Nà Pàn"
        ),
        "binh": add_child(session, own, "Hà Thị Bình", now=now, born=date(2012, 7, 1)),
    }
    add_group(session, made["dat"], CircumstanceGroup.l)
    add_group(session, made["an"], CircumstanceGroup.l, at_risk=True)
    add_group(session, made["binh"], CircumstanceGroup.l, until=date(2025, 12, 1))
    user = world.own.people["caseworker"].id
    add_support(session, made["dat"], SupportKind.psychological, by=user, now=now)
    add_support(session, made["binh"], SupportKind.health_insurance, by=user, now=now,
                until=date(2025, 12, 31))  # fmt: skip
    session.commit()
    return made


def names(client, headers, **params) -> list[str]:
    response = client.get(API, params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [row["full_name"] for row in response.json()["items"]]


def test_the_register_is_in_vietnamese_order_given_name_first(client, caseworker, register):
    assert names(client, caseworker) == [
        "Nguyễn Văn An",
        "Lò Văn Ân",
        "Hà Thị Bình",
        "Vũ Văn Đạt",
        "Nguyễn Thị Hoa",
    ]


def test_a_name_is_found_typed_without_diacritics_or_by_personal_id(
    client, caseworker, register, session
):
    assert names(client, caseworker, q="LO VAN AN") == ["Lò Văn Ân"]
    assert names(client, caseworker, q="van an") == ["Nguyễn Văn An", "Lò Văn Ân"]
    register["binh"].personal_id = "001312012345"
    session.commit()
    assert names(client, caseworker, q=" 001312012345 ") == ["Hà Thị Bình"]


def test_the_village_filter_lists_the_village_s_children(client, caseworker, register, session):
    village = session.get(Child, register["an2"].id).village_id
    assert names(client, caseworker, village=village) == ["Lò Văn Ân"]


def test_the_group_filter_counts_memberships_going_on_and_keeps_at_risk_apart(
    client, caseworker, register
):
    assert names(client, caseworker, group="l") == ["Vũ Văn Đạt"]  # Bình's ended in 2025
    assert names(client, caseworker, group="at_risk") == ["Nguyễn Văn An"]
    rows = client.get(API, params={"q": "nguyen van an"}, headers=caseworker).json()["items"]
    assert rows[0]["groups"] == []
    assert [t["group"] for t in rows[0]["at_risk"]] == ["l"]


def test_the_age_filter_counts_full_years_on_today_in_ha_noi(client, caseworker, register):
    # Today is 2 March 2026: Đạt (2016-03-02) is 10 today, An (2016-03-03) is still 9,
    # Ân has only a birth year (2019: 7), Hoa is 9, Bình 13.
    assert names(client, caseworker, age_min=10) == ["Hà Thị Bình", "Vũ Văn Đạt"]
    assert names(client, caseworker, age_max=9) == ["Nguyễn Văn An", "Lò Văn Ân", "Nguyễn Thị Hoa"]
    assert names(client, caseworker, age_min=7, age_max=7) == ["Lò Văn Ân"]
    rows = client.get(API, params={"q": "vu van dat"}, headers=caseworker).json()["items"]
    assert rows[0]["age"] == 10


def test_the_support_filter_counts_support_going_on_today(client, caseworker, register):
    assert names(client, caseworker, support="any") == ["Vũ Văn Đạt"]
    assert names(client, caseworker, support="psychological") == ["Vũ Văn Đạt"]
    assert names(client, caseworker, support="health_insurance") == []  # ended in 2025
    assert "Vũ Văn Đạt" not in names(client, caseworker, support="none")
    assert "Hà Thị Bình" in names(client, caseworker, support="none")


def test_the_review_filter_follows_this_month_s_village_review(
    client, caseworker, register, session, world, now
):
    dat, an, binh = register["dat"], register["an"], register["binh"]
    reviews = {}
    for month in (date(2026, 2, 1), date(2026, 3, 1)):  # the month's review, opened or not
        found = session.exec(
            select(VillageReview).where(
                VillageReview.village_id == dat.village_id, VillageReview.month == month
            )
        ).first()
        reviews[month] = found or VillageReview(
            commune_id=world.own.commune.id, village_id=dat.village_id, month=month, opened_at=now
        )
        session.add(reviews[month])
    session.flush()
    march, february = reviews[date(2026, 3, 1)].id, reviews[date(2026, 2, 1)].id
    session.add_all([
        ReviewItem(review_id=march, child_id=dat.id, answer=Answer.still),
        ReviewItem(review_id=march, child_id=an.id, answer=None),  # listed, not answered yet
        ReviewItem(review_id=february, child_id=an.id, answer=Answer.still),  # last month
        ReviewItem(review_id=february, child_id=binh.id, answer=Answer.moved),  # undecided
    ])  # fmt: skip
    session.commit()
    assert names(client, caseworker, review="reviewed") == ["Vũ Văn Đạt"]
    waiting = names(client, caseworker, review="not_reviewed")
    assert "Nguyễn Văn An" in waiting  # at risk, answered in February only
    assert not {"Vũ Văn Đạt", "Lò Văn Ân", "Hà Thị Bình"} & set(waiting)  # done; no group
    assert names(client, caseworker, review="awaiting") == ["Hà Thị Bình"]
    page = client.get("/dang-ky", params={"review": "awaiting"}, headers=caseworker).text
    assert '<option value="awaiting" selected>' in page
    assert "Thôn báo có thay đổi, chờ cán bộ xác nhận" in page


def test_filters_combine(client, caseworker, register):
    assert names(client, caseworker, group="l", support="any", age_min=10, q="dat") == [
        "Vũ Văn Đạt"
    ]
    assert names(client, caseworker, group="l", age_max=9) == []


def test_an_age_range_upside_down_is_refused_naming_the_ages(client, caseworker, register):
    response = client.get(API, params={"age_min": 12, "age_max": 6}, headers=caseworker)
    assert response.status_code == 422
    assert "Tuổi từ (12)" in response.json()["detail"][0]["msg"]


def test_a_record_merged_into_another_is_not_listed(client, caseworker, register, session):
    register["an2"].merged_into_id = register["an"].id
    session.commit()
    assert "Lò Văn Ân" not in names(client, caseworker)


def test_the_register_is_paginated_in_order(client, caseworker, register):
    first = client.get(API, params={"page_size": 2}, headers=caseworker).json()
    second = client.get(API, params={"page_size": 2, "page": 2}, headers=caseworker).json()
    assert (first["total"], first["pages"]) == (5, 3)
    assert [r["full_name"] for r in first["items"] + second["items"]] == [
        "Nguyễn Văn An",
        "Lò Văn Ân",
        "Hà Thị Bình",
        "Vũ Văn Đạt",
    ]


def test_a_page_is_three_statements_whatever_its_groups(client, caseworker, register, engine):
    with counting(engine) as statements:
        client.get(API, params={"group": "l"}, headers=caseworker)
    few = [s for s in statements if "child" in s]
    with counting(engine) as statements:
        client.get(API, headers=caseworker)
    more = [s for s in statements if "child" in s]
    assert len(few) == len(more) == 3


def test_only_the_commune_s_caseworkers_and_supervisor_see_the_register(
    client, world, browser_for, register
):
    for who in ("collaborator", "province_viewer", "police.officer"):
        response = client.get(API, headers=browser_for(world.own.people[who]))
        assert response.status_code == 404, who
    other = names(client, browser_for(world.other.people["supervisor"]))
    assert other == ["Nguyễn Thị Hoa"]  # the other commune's own child, none of ours


def test_the_register_is_audited_with_ids_never_the_words_searched(
    client, caseworker, register, session
):
    client.get(API, params={"q": "vu van dat"}, headers=caseworker)
    entry = session.exec(select(AuditEntry).where(AuditEntry.subject_type == "registry_list")).one()
    assert entry.detail == {"children": [register["dat"].id], "searched": True}
    assert "vu van dat" not in str(entry.detail)


def test_the_register_page_shows_groups_filters_and_the_merge_choice(client, caseworker, register):
    page = client.get("/dang-ky", params={"group": "l"}, headers=caseworker)
    assert page.status_code == 200
    assert "Sổ theo dõi trẻ em có hoàn cảnh đặc biệt" in page.text
    assert "Vũ Văn Đạt" in page.text
    assert "Nguyễn Văn An" not in page.text
    assert f'name="id" type="checkbox" value="{register["dat"].id}"' in page.text
