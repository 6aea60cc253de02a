"""Quản trị › Thôn, bản: the administrator adds the commune's villages, each with its
head's board; a name the commune already has, without accents or the kind word, is
refused in Vietnamese with what was typed kept; others may not see the page."""

from __future__ import annotations

import pytest
from sqlmodel import select

from casework import text
from casework.agencies.models import Agency, AgencyKind
from casework.audit.models import AuditEntry
from casework.children.service import resolve_village
from casework.communes import villages
from casework.communes.models import Village
from casework.errors import InvalidInput
from tests.factories.browsing import browser


def admin_of(client, world, browser_for):
    return browser(client, browser_for, world.own.people["admin"])


def test_a_village_is_added_with_its_heads_board(client, world, browser_for, session):
    admin = admin_of(client, world, browser_for)
    answer = admin.post("/quan-tri/thon", {"village": "  Bản  Khuổi Hẩu "})
    assert answer.status_code == 303, answer.text
    page = admin.get(answer.headers["location"]).text
    assert "Đã thêm thôn và ban điều hành thôn." in page
    assert "Ban điều hành Bản Khuổi Hẩu" in page
    village = session.exec(select(Village).where(Village.name == "Bản Khuổi Hẩu")).one()
    assert (village.commune_id, village.name_key) == (world.own.commune.id, "ban khuoi hau")
    board = session.exec(select(Agency).where(Agency.village_id == village.id)).one()
    assert (board.kind, board.commune_id) == (AgencyKind.village, world.own.commune.id)
    audited = session.exec(
        select(AuditEntry).where(AuditEntry.subject_type == "village")
    ).all()  # fmt: skip
    assert [entry.subject_id for entry in audited] == [str(village.id)]


def test_a_name_the_commune_has_already_is_refused_keeping_what_was_typed(
    client, world, browser_for, session
):
    existing = session.exec(
        select(Village).where(Village.commune_id == world.own.commune.id)
    ).first()
    assert existing is not None
    admin = admin_of(client, world, browser_for)
    before = len(session.exec(select(Village)).all())
    for typed in (existing.name_key.upper(), existing.name.split(" ", 1)[1]):
        answer = admin.post("/quan-tri/thon", {"village": typed})
        assert answer.status_code == 422, typed
        assert f"Xã đã có {existing.name}: tên này trùng khi bỏ dấu" in answer.text
        assert f'value="{typed}"' in answer.text
    other_kind = f"Tổ dân phố {existing.name.split(' ', 1)[1]}"  # merged communes have both
    assert admin.post("/quan-tri/thon", {"village": other_kind}).status_code == 303
    before += 1
    empty = admin.post("/quan-tri/thon", {"village": "   "})
    assert empty.status_code == 422
    assert "Nhập thôn" in empty.text
    session.expire_all()
    assert len(session.exec(select(Village)).all()) == before


def test_only_the_communes_administrator_sees_its_villages(client, world, browser_for, session):
    villages.add_village(session, commune_id=world.other.commune.id, name="Thôn Bên Kia")
    session.commit()
    own = session.exec(select(Village.name).where(Village.commune_id == world.own.commune.id))
    page = admin_of(client, world, browser_for).get("/quan-tri/thon").text
    assert all(name in page for name in own.all())
    assert "Thôn Bên Kia" not in page
    caseworker = browser(client, browser_for, world.own.people["caseworker"])
    assert caseworker.get("/quan-tri/thon").status_code == 404
    assert caseworker.post("/quan-tri/thon", {"village": "Thôn Mới"}).status_code == 404


def test_a_renamed_village_keeps_its_former_name_children_and_board(
    client, world, browser_for, session
):
    village = session.exec(
        select(Village).where(Village.commune_id == world.own.commune.id)
    ).first()  # fmt: skip
    old = village.name
    admin = admin_of(client, world, browser_for)
    assert f'value="{old}"' in admin.get(f"/quan-tri/thon/{village.id}").text
    taken = session.exec(
        select(Village).where(Village.commune_id == world.own.commune.id, Village.id != village.id)
    ).first()
    refused = admin.post(f"/quan-tri/thon/{village.id}", {"village": taken.name_key})
    assert refused.status_code == 422
    assert f"Xã đã có {taken.name}" in refused.text
    renamed = admin.post(f"/quan-tri/thon/{village.id}", {"village": "Thôn Pác Cáy"})
    assert renamed.status_code == 303, renamed.text
    page = admin.get(renamed.headers["location"]).text
    assert "Đã đổi tên thôn; tên cũ vẫn được lưu." in page
    assert f"Tên cũ: {old}" in page
    session.expire_all()
    assert (village.name, village.name_key) == ("Thôn Pác Cáy", "thon pac cay")
    audited = session.exec(select(AuditEntry).where(AuditEntry.subject_type == "village")).all()
    assert [(e.subject_id, e.detail) for e in audited] == [(str(village.id), {"change": "renamed"})]


def test_another_communes_village_cannot_be_renamed(client, world, browser_for, session):
    other = villages.add_village(session, commune_id=world.other.commune.id, name="Thôn Xa")
    session.commit()
    admin = admin_of(client, world, browser_for)
    assert admin.get(f"/quan-tri/thon/{other.id}").status_code == 404
    assert admin.post(f"/quan-tri/thon/{other.id}", {"village": "Thôn Gần"}).status_code == 404
    session.expire_all()
    assert session.get_one(Village, other.id).name == "Thôn Xa"


def test_a_list_or_report_naming_a_village_by_its_former_name_finds_it(
    client, world, browser_for, session
):
    village = session.exec(
        select(Village).where(Village.commune_id == world.own.commune.id)
    ).first()  # fmt: skip
    old = village.name
    admin = admin_of(client, world, browser_for)
    assert (
        admin.post(f"/quan-tri/thon/{village.id}", {"village": "Thôn Pác Cáy"}).status_code == 303
    )
    session.expire_all()
    commune = world.own.commune.id
    for typed in (old, text.fold(old).upper(), "Thôn Pác Cáy"):
        found = resolve_village(session, commune_id=commune, name=typed, loc=("village",))
        assert found is not None
        assert found.id == village.id, typed
    with pytest.raises(InvalidInput):  # another commune's former names are not this one's
        resolve_village(session, commune_id=world.other.commune.id, name="Thôn Pác Cáy",
                        loc=("village",))  # fmt: skip
