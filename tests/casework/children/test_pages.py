"""The children register in the browser: the list, searched without diacritics, and each
child's profile; every read audited, and a fixed number of queries whatever the data."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from casework.audit.models import AuditEntry
from casework.cases.models import CaseStatus, ProtectionCase
from casework.children.models import Caregiver, Child, ChildCircumstance, CircumstanceGroup
from casework.intake import service as intake_service
from casework.intake.schemas import IntakeCreate
from tests.factories.intakes import intake_payload


@pytest.fixture
def caseworker(world, browser_for):
    return browser_for(world.own.people["caseworker"])


def add_children(session, now, tz, *, count: int, commune_code: str = "TD-TEST") -> None:
    """``count`` more children of the commune, each reported once (an open case)."""
    for n in range(count):
        payload = intake_payload(
            commune_code=commune_code,
            **{"child.full_name": f"Hoàng Văn Số {n:03d}", "child.date_of_birth": "2015-01-01"},
        )
        intake_service.record_intake(
            session, data=IntakeCreate.model_validate_json(json.dumps(payload)), now=now, tz=tz
        )
    session.commit()


@contextmanager
def counting(engine) -> Iterator[list[str]]:
    """The SQL statements run while the block runs."""
    statements: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)


def rows(page: str) -> list[str]:
    """The children's names in the list, in order."""
    return re.findall(r'<a class="govuk-link" href="/tre-em/\d+">([^<]+)</a>', page)


def test_the_list_finds_a_child_by_a_name_typed_without_diacritics(client, caseworker, world):
    page = client.get("/tre-em", params={"q": "NGUYEN thi hoa"}, headers=caseworker).text
    assert rows(page) == ["Nguyễn Thị Hoa"]
    assert world.own.case.code in page  # the open case, one click away
    assert world.other.case.code not in page  # the other commune's child of the same name
    assert "1 trẻ có tên hoặc số định danh như đã tìm" in page


def test_the_list_finds_a_child_by_personal_id(client, caseworker, session, world):
    child = session.get(Child, world.own.case.child_id)
    child.personal_id = "001316012345"
    session.commit()
    page = client.get("/tre-em", params={"q": "001316012345"}, headers=caseworker).text
    assert rows(page) == ["Nguyễn Thị Hoa"]


def test_the_list_is_paginated_and_keeps_the_search(client, caseworker, session, now, databases):
    add_children(session, now, databases.settings.tz, count=25)
    first = client.get("/tre-em", params={"q": "hoang van so"}, headers=caseworker).text
    assert len(rows(first)) == 20
    assert 'href="/tre-em?page=2&amp;q=hoang%20van%20so"' in first
    second = client.get("/tre-em?page=2&q=hoang+van+so", headers=caseworker).text
    assert rows(second) == [f"Hoàng Văn Số {n:03d}" for n in range(20, 25)]


def test_an_empty_search_says_so(client, caseworker):
    page = client.get("/tre-em", params={"q": "khong ai ten nay"}, headers=caseworker).text
    assert "Không có trẻ nào có tên hoặc số định danh như vậy" in page


def test_the_list_is_audited_with_the_children_shown_not_the_words_searched(
    client, caseworker, session, world
):
    client.get("/tre-em", params={"q": "nguyen thi hoa"}, headers=caseworker)
    entry = session.exec(select(AuditEntry).where(AuditEntry.subject_type == "child_list")).one()
    assert entry.detail == {"children": [world.own.case.child_id], "searched": True}
    assert "nguyen" not in json.dumps(entry.detail)


def test_the_profile_shows_the_record_groups_caregivers_and_cases_with_their_clocks(
    client, caseworker, session, world
):
    child_id = world.own.case.child_id
    session.add(
        ChildCircumstance(
            child_id=child_id,
            group=CircumstanceGroup.i,
            subgroup=None,
            since=date(2026, 2, 20),
        )
    )
    session.commit()
    page = client.get(f"/tre-em/{child_id}", headers=caseworker).text
    assert '<h1 class="govuk-heading-l">Nguyễn Thị Hoa</h1>' in page
    assert "14/05/2016" in page
    assert "Tày" in page
    assert "Thôn Đồng Tâm" in page
    assert "i) Bị tổn hại nghiêm trọng về thể chất và tinh thần do bạo lực" in page
    assert "20/02/2026" in page
    assert "Hiện nay" in page
    assert "Nguyễn Văn Bình" in page
    assert "bố" in page
    assert "Không khuyết tật" in page
    assert "Không thuộc hộ nghèo, cận nghèo" in page
    # the case: an emergency (a parent hurt the child), 12 hours from the receipt at 08:15
    assert f'href="/ho-so/{world.own.case.code}"' in page
    assert "Khẩn cấp" in page
    assert "Can thiệp khẩn cấp trong 12 giờ" in page
    assert "Hạn 02/03/2026 20:15 – Còn 11 giờ 15 phút" in page
    assert "tính theo giờ, kể cả ngày nghỉ" in page
    # the reporter is the case's business, not the child's profile
    assert "Lò Văn Tính" not in page


def test_opening_a_profile_is_audited(client, caseworker, session, world):
    child_id = world.own.case.child_id
    client.get(f"/tre-em/{child_id}", headers=caseworker)
    entry = session.exec(select(AuditEntry).where(AuditEntry.subject_type == "child")).one()
    assert (entry.action, entry.subject_id) == ("view", str(child_id))
    assert entry.detail == {"cases": [world.own.case.code]}


@pytest.mark.parametrize("person", ["collaborator", "police.officer", "auditor"])
def test_only_caseworkers_and_the_supervisor_see_the_register(client, world, browser_for, person):
    headers = browser_for(world.own.people[person])
    assert client.get("/tre-em", headers=headers).status_code == 404
    assert client.get(f"/tre-em/{world.own.case.child_id}", headers=headers).status_code == 404


def test_a_child_of_another_commune_is_not_found(client, caseworker, world):
    response = client.get(f"/tre-em/{world.other.case.child_id}", headers=caseworker)
    assert response.status_code == 404
    assert "Nguyễn Thị Hoa" not in response.text


def test_the_list_runs_as_many_queries_for_a_full_page_as_for_two_rows(
    client, caseworker, session, now, databases, engine
):
    with counting(engine) as few:
        assert client.get("/tre-em", headers=caseworker).status_code == 200
    add_children(session, now, databases.settings.tz, count=30)
    with counting(engine) as many:
        page = client.get("/tre-em", headers=caseworker).text
    assert len(rows(page)) == 20
    assert len(many) == len(few), many


def test_the_profile_runs_as_many_queries_for_many_cases_and_caregivers_as_for_one(
    client, caseworker, session, world, engine, now
):
    child_id = world.own.case.child_id
    with counting(engine) as few:
        assert client.get(f"/tre-em/{child_id}", headers=caseworker).status_code == 200
    for n in range(1, 5):
        session.add(
            ProtectionCase(
                commune_id=world.own.commune.id,
                code=f"TD-2025-{n:05d}",
                year=2025,
                seq=n,
                child_id=child_id,
                status=CaseStatus.closed,
                workflow_name="child_protection",
                workflow_version=1,
                opened_at=now - timedelta(days=400 - n),
                updated_at=now - timedelta(days=300 - n),
                closed_at=now - timedelta(days=300 - n),
            )
        )
        session.add(Caregiver(child_id=child_id, full_name=f"Người {n}", relation="bà"))
    session.add(
        ChildCircumstance(child_id=child_id, group=CircumstanceGroup.a, since=date(2025, 1, 1))
    )
    session.commit()
    with counting(engine) as many:
        page = client.get(f"/tre-em/{child_id}", headers=caseworker).text
    assert page.count('class="govuk-summary-card"') == 5
    assert len(many) == len(few), many
