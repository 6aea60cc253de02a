"""Đề án 06 through the pages: the caseworker starts the loop for a village from the
data-quality list, the village's collaborator notes the household's papers on her phone,
the commune police verify both children, the caseworker updates the records; the records
then leave the data-quality list. A step's page is there only for the step's holder."""

from __future__ import annotations

import re

from sqlmodel import select

from casework.accounts.models import User
from casework.audit.models import AuditEntry
from casework.children.models import Child
from casework.registry.cleaning.models import CleaningLoop, CleaningState
from tests.factories.browsing import browser

QUALITY = "/dang-ky/chat-luong-du-lieu"
VERIFIED = {  # Lạng Sơn's code; the century digit agrees with the sex and birth year
    "Nguyễn Thị Hoa": ("020316000123", "14", "5", "2016", "female"),
    "Lò Văn Minh": ("020218000456", "2", "4", "2018", "male"),
}


def _as(client, browser_for, world, role):  # type: ignore[no-untyped-def]
    return browser(client, browser_for, world.own.people[role])


def _loops(session) -> dict[str, CleaningLoop]:  # type: ignore[no-untyped-def]
    session.expire_all()
    names = {c.id: c.full_name for c in session.exec(select(Child)).all()}
    return {names[loop.child_id]: loop for loop in session.exec(select(CleaningLoop)).all()}


def _verify(police, loop_id: int, name: str, **changed: str):  # type: ignore[no-untyped-def]
    digits, day, month, year, sex = VERIFIED[name]
    fields = {
        "personal_id": digits,
        "date_of_birth.day": day,
        "date_of_birth.month": month,
        "date_of_birth.year": year,
        "sex": sex,
    }
    return police.post(f"/viec-lam-sach/{loop_id}", fields | changed)


def _start_village(client, browser_for, world, villages) -> None:  # type: ignore[no-untyped-def]
    caseworker = _as(client, browser_for, world, "caseworker")
    page = caseworker.get(QUALITY)
    assert "Bắt đầu làm sạch cả thôn" in page.text
    assert f'name="village_id" value="{villages.dong_tam.id}"' in page.text
    started = caseworker.post("/dang-ky/lam-sach", {"village_id": str(villages.dong_tam.id)})
    assert started.status_code == 303, started.text
    assert started.headers["location"] == "/dang-ky/lam-sach?done=started"


def test_a_village_is_cleaned_through_the_pages_and_leaves_the_quality_list(
    client, browser_for, session, world, villages
):
    _start_village(client, browser_for, world, villages)
    loops = _loops(session)
    assert sorted(loops) == ["Lò Văn Minh", "Nguyễn Thị Hoa"]  # Bản Chắt's Lan is not here
    caseworker = _as(client, browser_for, world, "caseworker")
    listing = caseworker.get("/dang-ky/lam-sach")
    assert "Chờ thôn xác minh tại hộ gia đình" in listing.text
    assert re.search(r"\d{2}/\d{2}/\d{4}", listing.text)  # the visit's due date

    # 1. The collaborator of Thôn Đồng Tâm notes what each household's papers say.
    collaborator = _as(client, browser_for, world, "collaborator")
    steps = collaborator.get("/viec-lam-sach")
    assert "Nguyễn Thị Hoa" in steps.text
    assert "Lò Văn Minh" in steps.text
    form = collaborator.get(f"/viec-lam-sach/{loops['Lò Văn Minh'].id}")
    assert "Giấy khai sinh" in form.text
    assert "Hà Thị Lan" not in form.text
    for loop in loops.values():
        sent = collaborator.post(
            f"/viec-lam-sach/{loop.id}",
            {"birth_certificate": "Số 12, quyển 01", "mother": "Hà Thị Sen"},
        )
        assert sent.status_code == 303, sent.text

    # 2. The commune police see the papers and verify both children.
    police = _as(client, browser_for, world, "police.officer")
    form = police.get(f"/viec-lam-sach/{loops['Nguyễn Thị Hoa'].id}")
    assert "Số 12, quyển 01" in form.text
    assert "Hà Thị Sen" in form.text
    for name, loop in loops.items():
        assert _verify(police, loop.id, name).status_code == 303

    # 3. The caseworker updates both records; the loops close.
    for name, loop in _loops(session).items():
        assert loop.state == CleaningState.update
        page = caseworker.get(f"/dang-ky/lam-sach/{loop.id}")
        assert "Cập nhật hồ sơ" in page.text
        assert VERIFIED[name][0] in page.text
        version = re.search(r'name="child_version" value="(\d+)"', page.text)
        assert version is not None
        done = caseworker.post(f"/dang-ky/lam-sach/{loop.id}", {"child_version": version[1]})
        assert done.status_code == 303, done.text

    session.expire_all()
    assert session.get(Child, villages.hoa.id).personal_id == "020316000123"
    assert {loop.state for loop in _loops(session).values()} == {CleaningState.closed}
    left = caseworker.get(QUALITY).text
    assert "Nguyễn Thị Hoa" not in left
    assert "Lò Văn Minh" not in left
    assert "Hà Thị Lan" in left
    opened = session.exec(
        select(AuditEntry).where(AuditEntry.subject_type == "cleaning_loop")
    ).all()
    assert {entry.action for entry in opened} >= {"create", "view", "update"}


def test_a_wrong_verification_is_refused_in_words_next_to_the_field_and_kept(
    client, browser_for, session, world, villages
):
    _start_village(client, browser_for, world, villages)
    loop = _loops(session)["Nguyễn Thị Hoa"]
    _as(client, browser_for, world, "collaborator").post(f"/viec-lam-sach/{loop.id}", {})
    police = _as(client, browser_for, world, "police.officer")
    refused = _verify(police, loop.id, "Nguyễn Thị Hoa", personal_id="0203160001", sex="")
    assert refused.status_code == 422
    assert "<title>Lỗi:" in refused.text
    assert "Số định danh cá nhân phải có đúng 12 chữ số" in refused.text
    assert "Chọn giới tính" in refused.text
    assert 'value="0203160001"' in refused.text  # what was typed is kept
    assert _loops(session)["Nguyễn Thị Hoa"].state == CleaningState.verify


def test_a_record_changed_meanwhile_is_explained_and_not_overwritten(
    client, browser_for, session, world, villages
):
    _start_village(client, browser_for, world, villages)
    loop = _loops(session)["Lò Văn Minh"]
    _as(client, browser_for, world, "collaborator").post(f"/viec-lam-sach/{loop.id}", {})
    _verify(_as(client, browser_for, world, "police.officer"), loop.id, "Lò Văn Minh")
    stale = session.get_one(Child, villages.minh.id).version - 1
    answer = _as(client, browser_for, world, "caseworker").post(
        f"/dang-ky/lam-sach/{loop.id}", {"child_version": str(stale)}
    )
    assert answer.status_code == 422
    assert "Hồ sơ trẻ đã được sửa sau khi bạn mở trang" in answer.text
    session.expire_all()
    assert session.get_one(Child, villages.minh.id).personal_id is None


def test_another_villages_board_and_other_roles_get_no_step_page(
    client, browser_for, session, world, villages
):
    _start_village(client, browser_for, world, villages)
    loop = _loops(session)["Lò Văn Minh"]
    head = session.exec(select(User).where(User.username == "td.banchat.head")).one()
    other = browser(client, browser_for, head)
    assert other.get(f"/viec-lam-sach/{loop.id}").status_code == 404
    assert other.post(f"/viec-lam-sach/{loop.id}", {}).status_code == 404
    assert "Lò Văn Minh" not in other.get("/viec-lam-sach").text
    # The police see it only once the village has visited; nobody else's commune ever.
    assert (
        _as(client, browser_for, world, "police.officer")
        .get(f"/viec-lam-sach/{loop.id}")
        .status_code
        == 404
    )
    outsider = browser(client, browser_for, world.other.people["caseworker"])
    assert outsider.get(f"/dang-ky/lam-sach/{loop.id}").status_code == 404
    collaborator = _as(client, browser_for, world, "collaborator")
    assert collaborator.get(f"/dang-ky/lam-sach/{loop.id}").status_code == 404


def test_one_childs_row_starts_her_loop_and_opens_it_and_a_second_start_keeps_it(
    client, browser_for, session, world, villages
):
    caseworker = _as(client, browser_for, world, "caseworker")
    row = f'name="child_id" value="{villages.lan.id}"'
    assert row in caseworker.get(QUALITY).text
    started = caseworker.post("/dang-ky/lam-sach", {"child_id": str(villages.lan.id)})
    assert started.status_code == 303, started.text
    loop = _loops(session)["Hà Thị Lan"]
    assert started.headers["location"] == f"/dang-ky/lam-sach/{loop.id}"
    page = caseworker.get(started.headers["location"])
    assert "Chờ thôn xác minh tại hộ gia đình" in page.text
    assert "Thôn chưa xác minh tại hộ gia đình." in page.text
    assert "Cập nhật hồ sơ" not in page.text  # nothing verified to apply yet
    again = caseworker.post("/dang-ky/lam-sach", {"child_id": str(villages.lan.id)})
    assert again.headers["location"] == f"/dang-ky/lam-sach/{loop.id}"
    assert len(_loops(session)) == 1
    nothing = caseworker.post("/dang-ky/lam-sach", {})
    assert nothing.status_code == 422
    assert "Chọn một trẻ hoặc một thôn để làm sạch dữ liệu" in nothing.text
