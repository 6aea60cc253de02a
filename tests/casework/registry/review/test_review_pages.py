"""The monthly village review as people use it: the collaborator confirms her village's
children on her phone, seeing only their names, birth years and groups; the caseworker
applies or rejects each change and closes the review; the quarter is closed with its
counts. Nothing the reviewer says changes the register until the caseworker decides."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from casework.audit.models import AuditEntry
from casework.children.models import Child, ChildCircumstance, MembershipEnd
from casework.registry.models import RegistryProposal
from casework.registry.review import flow
from casework.registry.review.models import ReviewItem, ReviewQuarter, VillageReview
from casework.text import fold
from tests.factories.browsing import browser
from tests.factories.reviews import villages

MARCH = date(2026, 3, 1)


@pytest.fixture
def place(session, world, now, databases):
    own = world.own
    found = villages(
        session, commune_id=own.commune.id, collaborator=own.people["collaborator"], now=now
    )
    flow.open_month(
        session, commune_id=own.commune.id, month=MARCH, now=now, tz=databases.settings.tz, days=5
    )
    session.commit()
    return found


def _review(session, village) -> VillageReview:
    session.expire_all()
    return session.exec(
        select(VillageReview).where(
            VillageReview.village_id == village.id, VillageReview.month == MARCH
        )
    ).one()


def _items(session, review) -> dict[str, ReviewItem]:
    rows = session.exec(select(ReviewItem).where(ReviewItem.review_id == review.id)).all()
    names = {c.id: c.full_name for c in session.exec(select(Child)).all()}
    return {names.get(i.child_id, i.proposed_name): i for i in rows}


def _sheet(session, review, **answers: str) -> dict[str, str]:
    items = _items(session, review)
    fields = {}
    for name, answer in answers.items():
        item = next(i for n, i in items.items() if fold(n.split()[-1]) == name)
        fields[f"item.c{item.id}.answer"] = answer
    return fields


def test_each_village_gets_one_review_a_month_listing_its_children_on_the_register(
    session, world, place, now, databases
):
    own = world.own.commune.id
    reviews = session.exec(
        select(VillageReview).where(VillageReview.commune_id == own, VillageReview.month == MARCH)
    ).all()
    assert len(reviews) == 3  # every village of the commune, children or not
    again = flow.open_month(
        session, commune_id=own, month=MARCH, now=now, tz=databases.settings.tz, days=5
    )
    assert again == []
    listed = sorted(_items(session, _review(session, place.own)))
    assert listed == ["Hà Văn Bình", "Lò Thị Lan", "Nông Văn An"]  # at-risk An included


def test_the_collaborator_sees_only_name_birth_year_and_group_of_her_village(
    client, browser_for, session, place
):
    review = _review(session, place.own)
    page = browser(client, browser_for, place.collaborator).get(f"/ra-soat-thon/{review.id}")
    assert page.status_code == 200, page.text
    for shown in ("Lò Thị Lan", "Sinh năm 2014", "Mồ côi cả cha và mẹ", "Khuyết tật", "có nguy cơ"):
        assert shown in page.text
    for hidden in ("Số 7, ngõ 3", "Vi Văn Tuấn", "TD-2026", "Tày"):
        assert hidden not in page.text
    entry = session.exec(
        select(AuditEntry).where(AuditEntry.subject_type == "village_review")
    ).all()[-1]
    assert entry.subject_id == str(review.id)


def test_another_villages_review_is_not_there_for_her_nor_for_other_roles(
    client, browser_for, session, world, place
):
    other = _review(session, place.other)
    assert (
        browser(client, browser_for, place.collaborator)
        .get(f"/ra-soat-thon/{other.id}")
        .status_code
        == 404
    )
    own = _review(session, place.own)
    assert (
        browser(client, browser_for, place.other_head).get(f"/ra-soat-thon/{own.id}").status_code
        == 404
    )
    police = world.own.people["police.officer"]  # an agency officer of no village
    assert browser(client, browser_for, police).get(f"/ra-soat-thon/{own.id}").status_code == 404
    caseworker = world.own.people["caseworker"]
    assert (
        browser(client, browser_for, caseworker).get(f"/ra-soat-thon/{own.id}").status_code == 404
    )
    outsider = world.other.people["caseworker"]
    assert browser(client, browser_for, outsider).get(f"/ra-soat/{own.id}").status_code == 404
    assert browser(client, browser_for, place.collaborator).get("/ra-soat").status_code == 404


def test_a_sheet_with_a_child_unanswered_is_refused_naming_the_child_and_nothing_is_saved(
    client, browser_for, session, place
):
    review = _review(session, place.own)
    fields = _sheet(session, review, lan="still", binh="changed")
    answer = browser(client, browser_for, place.collaborator).post(
        f"/ra-soat-thon/{review.id}", fields
    )
    assert answer.status_code == 422
    assert "Chọn tình trạng của trẻ Nông Văn An" in answer.text
    assert "Ghi rõ thay đổi của trẻ Hà Văn Bình" in answer.text
    assert _review(session, place.own).submitted_at is None
    assert all(i.answer is None for i in _items(session, review).values())


def _submit(client, browser_for, session, place):  # type: ignore[no-untyped-def]
    review = _review(session, place.own)
    fields = _sheet(session, review, lan="still", binh="moved", an="changed")
    an = _items(session, review)["Nông Văn An"]
    fields |= {
        f"item.c{an.id}.note": "Gia đình đã ổn định, cháu đi học lại",
        "new.r0.full_name": "Lục Thị Hoa",
        "new.r0.birth_year": "2019",
        "new.r0.sex": "female",
        "new.r0.group": "c",
        "new.r0.note": "Bố mẹ đi làm ăn xa",
    }
    answer = browser(client, browser_for, place.collaborator).post(
        f"/ra-soat-thon/{review.id}", fields
    )
    assert answer.status_code == 303, answer.text
    return review


def test_a_submitted_review_waits_for_the_caseworker_and_changes_nothing_yet(
    client, browser_for, session, world, place
):
    review = _submit(client, browser_for, session, place)
    binh = place.children["binh"]
    session.expire_all()
    current = session.exec(
        select(ChildCircumstance).where(
            ChildCircumstance.child_id == binh.id, ChildCircumstance.until.is_(None)
        )
    ).all()
    assert len(current) == 2  # moved away, says the village; not yet decided
    caseworker = browser(client, browser_for, world.own.people["caseworker"])
    listing = caseworker.get("/ra-soat").text
    assert "Chờ xác nhận" in listing
    assert "3 nội dung" in listing
    page = caseworker.get(f"/ra-soat/{review.id}").text
    assert "Gia đình đã ổn định, cháu đi học lại" in page
    assert "Lục Thị Hoa" in page
    again = browser(client, browser_for, place.collaborator).post(
        f"/ra-soat-thon/{review.id}", _sheet(session, review, lan="still", binh="still")
    )
    assert again.status_code == 422
    assert "đã được gửi" in again.text


def test_the_caseworker_applies_or_rejects_each_change_then_closes_the_review(
    client, browser_for, session, world, place, now
):
    review = _submit(client, browser_for, session, place)
    caseworker = browser(client, browser_for, world.own.people["caseworker"])
    items = _items(session, review)
    path = f"/ra-soat/{review.id}"
    assert caseworker.post(f"{path}/hoan-thanh").status_code == 409  # answers undecided

    moved = {"item_id": items["Hà Văn Bình"].id, "decision": "applied"}
    assert caseworker.post(f"{path}/quyet-dinh", moved).status_code == 303
    changed = {"item_id": items["Nông Văn An"].id, "decision": "rejected", "note": "Đã gặp"}
    assert caseworker.post(f"{path}/quyet-dinh", changed).status_code == 303
    new = {"item_id": items["Lục Thị Hoa"].id, "decision": "applied"}
    refused = caseworker.post(f"{path}/quyet-dinh", new)
    assert refused.status_code == 422
    assert "Nhập dân tộc" in refused.text
    assert caseworker.post(f"{path}/quyet-dinh", new | {"ethnicity": "Dao"}).status_code == 303
    assert caseworker.post(f"{path}/quyet-dinh", moved).status_code == 422  # decided once

    session.expire_all()
    ended = session.exec(
        select(ChildCircumstance).where(ChildCircumstance.child_id == place.children["binh"].id)
    ).all()
    caseworker_id = world.own.people["caseworker"].id
    assert {(m.ended_reason, m.ended_by_id) for m in ended} == {
        (MembershipEnd.moved_away, caseworker_id)
    }
    assert all(m.until == date(2026, 3, 2) for m in ended)
    an = session.exec(
        select(ChildCircumstance).where(ChildCircumstance.child_id == place.children["an"].id)
    ).one()
    assert an.until is None  # rejected: nothing changed
    hoa = session.exec(select(Child).where(Child.full_name == "Lục Thị Hoa")).one()
    assert (hoa.village_id, hoa.birth_year, hoa.ethnicity) == (place.own.id, 2019, "Dao")
    proposal = session.exec(
        select(RegistryProposal).where(RegistryProposal.child_id == hoa.id)
    ).one()
    assert (proposal.group, proposal.source, proposal.status) == ("c", "review", "open")
    assert (
        session.exec(select(ChildCircumstance).where(ChildCircumstance.child_id == hoa.id)).all()
        == []
    )  # the group is a proposal, never a membership by itself

    assert caseworker.post(f"{path}/hoan-thanh").status_code == 303
    assert _review(session, place.own).closed_at is not None


def test_the_quarter_is_closed_with_counts_per_village_the_supervisor_reads(
    client, browser_for, session, world, place
):
    review = _submit(client, browser_for, session, place)
    caseworker = browser(client, browser_for, world.own.people["caseworker"])
    closing = {"year": "2026", "quarter": "1", "note": "Thôn Đồng Tâm có 1 trẻ chuyển đi"}
    waiting = caseworker.post("/ra-soat-quy", closing)
    assert waiting.status_code == 422
    assert "chờ xác nhận" in waiting.text
    for item in _items(session, review).values():
        if item.answer != "still":
            decision = {"item_id": item.id, "decision": "rejected"}
            assert caseworker.post(f"/ra-soat/{review.id}/quyet-dinh", decision).status_code == 303
    assert caseworker.post(f"/ra-soat/{review.id}/hoan-thanh").status_code == 303
    assert caseworker.post("/ra-soat-quy", closing).status_code == 303
    assert caseworker.post("/ra-soat-quy", closing).status_code == 422  # once
    session.expire_all()
    closed = session.exec(select(ReviewQuarter)).one()
    assert closed.counts["Thôn Đồng Tâm"] == {
        "reviewed": 3,
        "changed": 0,
        "new": 0,
        "moved": 0,
        "not_found": 0,
    }  # every change rejected
    supervisor = browser(client, browser_for, world.own.people["supervisor"])
    page = supervisor.get("/ra-soat-quy").text
    assert "Thôn Đồng Tâm có 1 trẻ chuyển đi" in page
    assert "Quý 1/2026" in page
    assert "Tổng hợp quý 1/2026" not in page  # the button is the caseworker's
    assert supervisor.post("/ra-soat-quy", closing).status_code == 403
