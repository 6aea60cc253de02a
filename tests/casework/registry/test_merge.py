"""Two records of the same child made one: every row pointing at the other record moves
(found from the foreign keys, so a table added later cannot be forgotten), the values
chosen field by field, the old record a pointer that old links follow, refused with a
reason a person can act on, and undone exactly by the supervisor."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
import sqlalchemy as sa
from sqlmodel import SQLModel, select

from casework.accounts.models import User
from casework.audit.models import AuditEntry
from casework.audit.words import describe, people_of
from casework.cases.models import CaseStatus, ProtectionCase
from casework.children.models import Caregiver, Child, CircumstanceGroup
from casework.registry import merge as merge_service
from casework.registry.models import ProposalStatus, RegistryProposal, SupportKind
from casework.registry.review.models import Answer, ReviewItem
from tests.factories.cleaning import cleaning_loops  # noqa: F401  (a fixture)
from tests.factories.registry import add_child, add_group, add_support

API = "/api/v1/registry/merges"


def every_row_of(session, child_id: int) -> dict[str, set[int]]:
    """The rows of every moved table that point at ``child_id``, by table.column."""
    found = {}
    for table_name, column in merge_service.moved_columns():
        table = SQLModel.metadata.tables[table_name]
        ids = session.execute(sa.select(table.c.id).where(table.c[column] == child_id)).scalars()
        found[f"{table_name}.{column}"] = set(ids)
    return found


def snapshot(session) -> dict[str, Any]:
    """Every row of the children and of every table pointing at a child, as stored."""
    tables = {name for name, _ in merge_service.referencing_columns()} | {"child"}
    tables.discard("child_merge")
    tables.discard("child_quality")  # derived from the records, recomputed after each change
    found = {}
    for name in sorted(tables):
        table = SQLModel.metadata.tables[name]
        skip = {"version", "updated_at"} if name == "child" else set()
        columns = [c for c in table.columns if c.name not in skip]
        found[name] = sorted(
            tuple(row) for row in session.execute(sa.select(*columns).order_by(table.c.id))
        )
    return found


def body(keep: Child, other: Child, **take: int) -> dict[str, Any]:
    return {
        "keep_id": keep.id,
        "other_id": other.id,
        "keep_version": keep.version,
        "other_version": other.version,
        "take": take,
    }


def test_every_column_pointing_at_a_child_is_moved_or_named_with_its_reason():
    for column in merge_service.referencing_columns():
        assert column in merge_service.moved_columns() or column in merge_service.NOT_MOVED
        if column in merge_service.moved_columns():
            table = SQLModel.metadata.tables[column[0]]
            assert [c.name for c in table.primary_key.columns] == ["id"], column  # exact undo


@pytest.mark.usefixtures("cleaning_loops")
def test_a_merge_moves_every_row_pointing_at_the_other_record(
    client, world, browser_for, session, pair, now
):
    keep, other = add_child(session, world.own.commune, "Trần Thị Lan", now=now), pair[0]
    assert world.own.cleaning_loop.child_id == other.id  # the fixture's loop is hers
    session.add(ReviewItem(review_id=world.own.review.id, child_id=other.id, answer=Answer.still))
    membership = add_group(session, other, CircumstanceGroup.i)
    user = world.own.people["caseworker"].id
    add_support(session, other, SupportKind.psychological, by=user, now=now)
    session.add(
        RegistryProposal(
            commune_id=other.commune_id,
            child_id=other.id,
            case_id=world.own.case.id,
            group=CircumstanceGroup.i,
            source="assessment",
            status=ProposalStatus.confirmed,
            membership_id=membership.id,
            created_at=now,
        )
    )
    session.commit()
    before = every_row_of(session, other.id)
    # The fixture covers every table a merge moves: a table added with a foreign key to
    # the child fails here until a row of it is added above, and is then checked to move.
    assert {key for key, ids in before.items() if not ids} == set()
    response = client.post(
        API, json=body(keep, other), headers=browser_for(world.own.people["caseworker"])
    )
    assert response.status_code == 201, response.text
    session.expire_all()
    assert all(not ids for ids in every_row_of(session, other.id).values())
    after = every_row_of(session, keep.id)
    assert all(before[key] <= after[key] for key in before)
    assert response.json()["moved"] == {key: sorted(ids) for key, ids in before.items()}
    assert session.get(Child, other.id).merged_into_id == keep.id


def test_the_caseworker_chooses_field_by_field_whose_value_is_kept(
    client, world, browser_for, session, pair
):
    hoa, again = pair
    take = {"personal_id": again.id}  # the birth date stays Hoa's, the id comes from again
    response = client.post(
        API, json=body(hoa, again, **take), headers=browser_for(world.own.people["caseworker"])
    )
    assert response.status_code == 201, response.text
    session.expire_all()
    kept, gone = session.get(Child, hoa.id), session.get(Child, again.id)
    assert (kept.personal_id, kept.date_of_birth, kept.birth_year) == (
        "001316012345",
        date(2016, 5, 14),
        2016,
    )
    assert gone.personal_id is None  # one id names one record
    assert gone.full_name == "Nguyễn Thị Hoa"  # the rest stays, for old exports


def test_the_record_kept_can_be_the_one_without_a_case(client, world, browser_for, session, pair):
    hoa, again = pair
    take = {"birth": hoa.id, "village_id": hoa.id}
    response = client.post(
        API, json=body(again, hoa, **take), headers=browser_for(world.own.people["caseworker"])
    )
    assert response.status_code == 201, response.text
    session.expire_all()
    kept = session.get(Child, again.id)
    assert (kept.date_of_birth, kept.village_id) == (date(2016, 5, 14), hoa.village_id)
    case = session.get(ProtectionCase, world.own.case.id)
    assert case.child_id == again.id


def test_an_old_link_opens_the_record_kept(client, world, browser_for, session, pair):
    hoa, again = pair
    headers = browser_for(world.own.people["caseworker"])
    client.post(API, json=body(hoa, again), headers=headers)
    old = client.get(f"/tre-em/{again.id}", headers=headers, follow_redirects=False)
    assert old.status_code == 307
    assert old.headers["location"] == f"/tre-em/{hoa.id}"
    assert merge_service.resolve(session, child_id=again.id) == hoa.id


def test_two_open_cases_cannot_both_move_the_caseworker_is_told_which(
    client, world, browser_for, session, pair, now
):
    hoa, again = pair
    session.add(
        ProtectionCase(
            commune_id=again.commune_id,
            code="TD-2026-09999",
            year=2026,
            seq=9999,
            child_id=again.id,
            status=CaseStatus.received,
            workflow_name=world.own.case.workflow_name,
            workflow_version=world.own.case.workflow_version,
            opened_at=now,
            updated_at=now,
        )
    )
    session.commit()
    before = snapshot(session)
    response = client.post(
        API, json=body(hoa, again), headers=browser_for(world.own.people["caseworker"])
    )
    assert response.status_code == 409
    message = response.json()["detail"][0]["msg"]
    assert world.own.case.code in message
    assert "TD-2026-09999" in message
    assert "đóng một vụ việc" in message
    session.expire_all()
    assert snapshot(session) == before


def test_the_same_group_going_on_in_both_records_is_refused_and_nothing_moves(
    client, world, browser_for, session, pair
):
    hoa, again = pair
    add_group(session, hoa, CircumstanceGroup.b)
    add_group(session, again, CircumstanceGroup.b)
    session.commit()
    before = snapshot(session)
    response = client.post(
        API, json=body(hoa, again), headers=browser_for(world.own.people["caseworker"])
    )
    assert response.status_code == 409
    assert "kết thúc một bản ghi" in response.json()["detail"][0]["msg"]
    session.expire_all()
    assert snapshot(session) == before


def test_the_supervisor_s_undo_puts_back_exactly_what_was(
    client, world, browser_for, session, pair, now
):
    hoa, again = pair
    session.add(Caregiver(child_id=again.id, full_name="Nguyễn Văn Bình", relation="bố"))
    add_group(session, again, CircumstanceGroup.h, since=date(2025, 9, 1))
    session.commit()
    before = snapshot(session)
    take = {"personal_id": again.id, "full_name": again.id}
    headers = browser_for(world.own.people["caseworker"])
    assert client.post(API, json=body(hoa, again, **take), headers=headers).status_code == 201
    session.expire_all()
    assert snapshot(session) != before
    # A caregiver added to the kept record after the merge stays with it.
    session.add(Caregiver(child_id=hoa.id, full_name="Nguyễn Thị Thu", relation="mẹ"))
    session.commit()
    added = session.exec(select(Caregiver).where(Caregiver.full_name == "Nguyễn Thị Thu")).one()
    undo = f"/api/v1/registry/children/{again.id}/unmerge"
    refused = client.post(undo, headers=headers)
    assert refused.status_code == 403  # the caseworker sees the record, may not undo
    response = client.post(undo, headers=browser_for(world.own.people["supervisor"]))
    assert response.status_code == 200, response.text
    assert response.json()["undone"] is True
    session.expire_all()
    session.delete(session.get(Caregiver, added.id))
    session.flush()
    assert snapshot(session) == before
    again_twice = client.post(undo, headers=browser_for(world.own.people["supervisor"]))
    assert again_twice.status_code == 409


def test_a_record_changed_since_it_was_compared_is_not_merged(
    client, world, browser_for, session, pair
):
    hoa, again = pair
    sent = body(hoa, again)
    hoa.address = "Nhà bà ngoại"
    session.commit()
    response = client.post(API, json=sent, headers=browser_for(world.own.people["caseworker"]))
    assert response.status_code == 409
    assert "so sánh lại" in response.json()["detail"][0]["msg"]


def test_an_undo_whose_personal_id_went_to_another_child_is_refused_and_nothing_moves(
    client, world, browser_for, session, pair, now
):
    hoa, again = pair  # again holds 001316012345; the merge keeps Hoa's (empty) id
    headers = browser_for(world.own.people["caseworker"])
    assert client.post(API, json=body(hoa, again), headers=headers).status_code == 201
    # the number, free after the merge, is given to another child
    third = add_child(
        session, world.own.commune, "Lê Thị Hằng", now=now, personal_id="001316012345"
    )
    session.commit()
    session.expire_all()
    merged = snapshot(session)
    response = client.post(
        f"/api/v1/registry/children/{again.id}/unmerge",
        headers=browser_for(world.own.people["supervisor"]),
    )
    assert response.status_code == 409, response.text
    assert f"nay thuộc trẻ số {third.id}" in response.text
    session.expire_all()
    assert snapshot(session) == merged


def test_a_record_already_merged_cannot_be_merged_again(
    client, world, browser_for, session, pair, now
):
    hoa, again = pair
    third = add_child(session, world.own.commune, "Nguyễn Thị Hoa", now=now, born=None,
                      birth_year=2016)  # fmt: skip
    session.commit()
    headers = browser_for(world.own.people["caseworker"])
    assert client.post(API, json=body(hoa, again), headers=headers).status_code == 201
    session.expire_all()
    stale = body(third, session.get(Child, again.id))
    assert client.post(API, json=stale, headers=headers).status_code == 409


def test_only_the_commune_s_caseworkers_and_supervisor_merge(
    client, world, browser_for, session, pair
):
    hoa, again = pair
    for who in ("collaborator", "police.officer", "admin"):
        response = client.post(
            API, json=body(hoa, again), headers=browser_for(world.own.people[who])
        )
        assert response.status_code == 404, who
    other_commune = browser_for(world.other.people["caseworker"])
    assert client.post(API, json=body(hoa, again), headers=other_commune).status_code == 404
    foreign = session.get(Child, world.other.case.child_id)
    mixed = body(hoa, foreign)
    own = browser_for(world.own.people["supervisor"])
    assert client.post(API, json=mixed, headers=own).status_code == 404


def test_a_merge_and_its_undo_are_audited_with_ids_and_in_words(
    client, world, browser_for, session, pair
):
    hoa, again = pair
    headers = browser_for(world.own.people["caseworker"])
    client.post(API, json=body(hoa, again), headers=headers)
    client.post(
        f"/api/v1/registry/children/{again.id}/unmerge",
        headers=browser_for(world.own.people["supervisor"]),
    )
    entries = session.exec(
        select(AuditEntry)
        .where(AuditEntry.subject_type == "child", AuditEntry.action == "update")
        .order_by(AuditEntry.seq)
    ).all()
    assert [e.detail["action"] for e in entries] == ["merge", "merge_undo"]
    assert "Nguyễn" not in str([e.detail for e in entries])
    people = people_of(session.exec(select(User)).all())
    said = [describe(e, people, "vi").did for e in entries]
    assert said[0].startswith(f"Gộp hồ sơ trẻ em số {again.id} vào trẻ em số {hoa.id}")
    assert said[1].startswith(f"Hoàn tác việc gộp hồ sơ trẻ em số {again.id}")


def test_a_merge_asked_badly_is_refused_naming_what_is_wrong_and_nothing_changes(
    client, world, browser_for, session, pair
):
    hoa, again = pair
    headers = browser_for(world.own.people["caseworker"])
    before = snapshot(session)
    cases = {
        "khong_co": (body(hoa, again, khong_co=hoa.id), "không phải là thông tin của hồ sơ"),
        "third": (body(hoa, again, sex=999), "phải lấy từ một trong hai hồ sơ"),
        "twice": (body(hoa, hoa), "Chọn hai hồ sơ khác nhau"),
    }
    for name, (sent, said) in cases.items():
        response = client.post(API, json=sent, headers=headers)
        assert response.status_code == 422, name
        assert said in response.json()["detail"][0]["msg"], name
    session.expire_all()
    assert snapshot(session) == before


def test_a_value_corrected_on_the_kept_record_after_the_merge_survives_its_undo(
    client, world, browser_for, session, pair
):
    hoa, again = pair
    headers = browser_for(world.own.people["caseworker"])
    take = {"personal_id": again.id, "birth": again.id}
    assert client.post(API, json=body(hoa, again, **take), headers=headers).status_code == 201
    session.expire_all()
    kept = session.get(Child, hoa.id)
    kept.date_of_birth, kept.birth_year = date(2016, 6, 1), 2016  # the birth certificate
    session.commit()
    undo = f"/api/v1/registry/children/{again.id}/unmerge"
    assert client.post(undo, headers=browser_for(world.own.people["supervisor"])).status_code == 200
    session.expire_all()
    kept = session.get(Child, hoa.id)
    assert kept.date_of_birth == date(2016, 6, 1)  # corrected since: not undone
    assert kept.personal_id is None  # as before the merge
    assert session.get(Child, again.id).personal_id == "001316012345"


def test_the_merge_pages_read_in_the_audit_log_in_words(client, world, browser_for, session, pair):
    hoa, again = pair
    headers = browser_for(world.own.people["caseworker"])
    client.get(f"/dang-ky/gop?id={hoa.id}&id={again.id}", headers=headers)
    client.get(f"/tre-em/{hoa.id}/gop", headers=headers)
    entries = session.exec(
        select(AuditEntry)
        .where(AuditEntry.subject_type.in_(["child_merge", "child_merges"]))
        .order_by(AuditEntry.seq)
    ).all()
    people = people_of(session.exec(select(User)).all())
    assert [describe(e, people, "vi").did for e in entries] == [
        f"So sánh hai hồ sơ trẻ em số {hoa.id} để gộp",
        f"So sánh hai hồ sơ trẻ em số {again.id} để gộp",
        f"Xem các hồ sơ đã gộp vào trẻ em số {hoa.id}",
    ]
