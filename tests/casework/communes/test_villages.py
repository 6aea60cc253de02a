"""Quản trị › Thôn, bản: the administrator adds the commune's villages, each with its
head's board; a name the commune already has, without accents or the kind word, is
refused in Vietnamese with what was typed kept; others may not see the page."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from casework import text
from casework.accounts.models import User
from casework.agencies.models import Agency, AgencyKind
from casework.audit.models import AuditEntry
from casework.children.models import Child
from casework.children.service import resolve_village
from casework.communes import villages
from casework.communes.models import Village
from casework.errors import InvalidInput
from casework.registry.quality_models import DataQualitySnapshot
from casework.registry.review.models import VillageReview
from tests.factories.browsing import browser
from tests.factories.registry import add_child, village_of


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


def _close_reviews(session, commune_id: int, now) -> None:  # type: ignore[no-untyped-def]
    """The world's reviews of last month, done and closed (history, as merges find it)."""
    for review in session.exec(select(VillageReview).where(VillageReview.commune_id == commune_id)):
        review.closed_at = now
        session.add(review)
    session.commit()


def test_a_merged_villages_children_reviews_figures_and_people_follow_it(
    client, world, browser_for, session, now
):
    commune = world.own.commune
    nà_pàn = village_of(session, commune, "Xóm Nà Pàn")
    đồng_tâm = village_of(session, commune, "Thôn Đồng Tâm")
    children = [add_child(session, commune, name, now=now, village="Xóm Nà Pàn")
                for name in ("Lò Thị Mai", "Vi Văn Cường")]  # fmt: skip
    earlier = VillageReview(commune_id=commune.id, village_id=nà_pàn.id, month=date(2025, 6, 1),
                            opened_at=now, closed_at=now)  # fmt: skip
    session.add(earlier)
    day = date(2026, 3, 1)
    session.add_all([
        DataQualitySnapshot(commune_id=commune.id, day=day, village_id=nà_pàn.id, total=2,
                            clean=1, taken_at=now),
        DataQualitySnapshot(commune_id=commune.id, day=day, village_id=đồng_tâm.id, total=5,
                            clean=5, taken_at=now),
    ])  # fmt: skip
    board = session.exec(select(Agency).where(Agency.village_id == nà_pàn.id)).first()
    if board is None:
        board = Agency(commune_id=commune.id, kind=AgencyKind.village,
                       name="Ban điều hành Xóm Nà Pàn", village_id=nà_pàn.id)  # fmt: skip
        session.add(board)
        session.flush()
    session.add(Agency(commune_id=commune.id, kind=AgencyKind.village,
                       name="Ban điều hành Thôn Đồng Tâm", village_id=đồng_tâm.id))  # fmt: skip
    head = world.own.people["collaborator"]
    head.agency_id = board.id
    session.add(head)
    session.commit()
    admin = admin_of(client, world, browser_for)
    refused = admin.post(f"/quan-tri/thon/{nà_pàn.id}/sap-nhap", {"into": str(đồng_tâm.id)})
    assert refused.status_code == 409
    assert "Xóm Nà Pàn đang có đợt rà soát chưa đóng" in refused.text
    _close_reviews(session, commune.id, now)

    answer = admin.post(f"/quan-tri/thon/{nà_pàn.id}/sap-nhap", {"into": str(đồng_tâm.id)})
    assert answer.status_code == 303, answer.text
    page = admin.get(answer.headers["location"]).text
    assert "Đã sáp nhập thôn" in page
    assert "Tên cũ: Xóm Nà Pàn" in page
    session.expire_all()
    assert {session.get(Child, c.id).village_id for c in children} == {đồng_tâm.id}
    reviews = session.exec(select(VillageReview).where(VillageReview.month == date(2025, 6, 1)))
    assert [r.village_id for r in reviews] == [đồng_tâm.id]  # a month only it had: moved
    last_month = session.exec(
        select(VillageReview.village_id).where(VillageReview.month == world.own.review.month,
                                               VillageReview.commune_id == commune.id)
    ).all()  # fmt: skip
    assert nà_pàn.id in last_month  # a month both reviewed: each keeps its own review
    figures = session.exec(select(DataQualitySnapshot).where(DataQualitySnapshot.day == day,
                           DataQualitySnapshot.commune_id == commune.id)).all()  # fmt: skip
    assert [(f.village_id, f.total, f.clean) for f in figures] == [(đồng_tâm.id, 7, 6)]
    assert session.get(User, head.id).agency_id != board.id
    assert session.get(Agency, board.id).is_active is False
    assert session.get(Village, nà_pàn.id).merged_into_id == đồng_tâm.id
    listed = admin.get("/quan-tri/thon").text
    assert "Xóm Nà Pàn" in listed  # as Thôn Đồng Tâm's former name only
    assert f'href="/quan-tri/thon/{nà_pàn.id}"' not in listed
    assert admin.get(f"/quan-tri/thon/{nà_pàn.id}").status_code == 404
    # a list or a report naming the old village finds the one it joined
    found = resolve_village(session, commune_id=commune.id, name="xom na pan", loc=("v",))
    assert found.id == đồng_tâm.id
    assert audit_of(session, "village", nà_pàn.id)[-1]["children"] == 2


def test_a_village_is_not_merged_into_itself_or_another_communes(
    client, world, browser_for, session, now
):
    _close_reviews(session, world.own.commune.id, now)
    nà_pàn = village_of(session, world.own.commune, "Xóm Nà Pàn")
    elsewhere = village_of(session, world.other.commune, "Xóm Nà Pàn")
    admin = admin_of(client, world, browser_for)
    itself = admin.post(f"/quan-tri/thon/{nà_pàn.id}/sap-nhap", {"into": str(nà_pàn.id)})
    assert itself.status_code == 422
    assert "Chọn một thôn khác để sáp nhập vào" in itself.text
    assert admin.post(f"/quan-tri/thon/{nà_pàn.id}/sap-nhap", {"into": str(elsewhere.id)}
                      ).status_code == 404  # fmt: skip
    nothing = admin.post(f"/quan-tri/thon/{nà_pàn.id}/sap-nhap", {"into": ""})
    assert nothing.status_code == 422
    session.expire_all()
    assert session.get(Village, nà_pàn.id).merged_into_id is None


def audit_of(session, kind: str, subject: int) -> list[dict]:  # type: ignore[no-untyped-def]
    entries = session.exec(
        select(AuditEntry).where(AuditEntry.subject_type == kind,
                                 AuditEntry.subject_id == str(subject))
        .order_by(AuditEntry.seq)
    ).all()  # fmt: skip
    return [entry.detail or {} for entry in entries]
