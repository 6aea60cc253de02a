"""A new commune's villages and its agencies' contacts from spreadsheets, through the same
pipeline as children and people: names that fold to one the commune or the file has are
refused with the village they clash with; a village already there is left as it is; an
agency is found by its name or its beginning, a new school is added, an unknown agency
or a malformed e-mail is refused before anything is written."""

from __future__ import annotations

from sqlmodel import select

from casework import text
from casework.agencies.models import Agency, AgencyKind
from casework.communes.models import Village
from casework.registry.imports.models import ImportStatus
from tests.factories.spreadsheets import xlsx

VILLAGES = "/quan-tri/thon/nhap"
AGENCIES = "/quan-tri/co-quan/nhap"


def village_names(session, commune_id: int) -> list[str]:  # type: ignore[no-untyped-def]
    session.expire_all()
    rows = session.exec(select(Village.name).where(Village.commune_id == commune_id))
    return sorted(rows.all(), key=text.fold)


def test_villages_come_with_their_boards_and_clashing_names_are_named(
    run_import, session, thất_khê, client, admin
):
    commune, _ = thất_khê  # it has Thôn Nà Pàn already
    rows = [[1, "Thôn Khuổi Hẩu"], [2, "Bản Pác Cáy"], [3, "thon khuoi hau"], [4, "Nà Pàn"],
            [5, "Tổ dân phố 1"], [6, ""]]  # fmt: skip
    job = run_import(VILLAGES, xlsx(rows, headings=["STT", "Tên thôn"]))
    assert (job.status, job.created_records, job.existing_rows, job.error_rows) == (
        ImportStatus.done, 3, 0, 3
    )  # fmt: skip
    assert village_names(session, commune.id) == [
        "Bản Pác Cáy", "Thôn Khuổi Hẩu", "Thôn Nà Pàn", "Tổ dân phố 1"
    ]  # fmt: skip
    boards = session.exec(
        select(Agency.name).where(
            Agency.commune_id == commune.id, Agency.kind == AgencyKind.village
        )
    ).all()
    assert "Ban điều hành Bản Pác Cáy" in boards
    page = client.get(f"{VILLAGES}/{job.id}", headers=admin).text
    assert "Thôn này trùng với dòng 2 của tệp" in page
    assert "Xã đã có Thôn Nà Pàn: tên này trùng khi bỏ dấu" in page
    assert "Đã thêm 3 thôn cùng ban điều hành thôn, 0 thôn đã có" in page
    again = run_import(
        VILLAGES, xlsx([[1, "Thôn Nà Pàn"], [2, "Thôn Mới"]], headings=["TT", "Thôn"])
    )
    assert (again.created_records, again.existing_rows, again.error_rows) == (1, 1, 0)
    assert "Xã đã có Thôn Nà Pàn: giữ nguyên" in client.get(f"{VILLAGES}/{again.id}",
                                                           headers=admin).text  # fmt: skip


def test_agencies_contacts_are_written_and_a_new_school_added(
    run_import, session, thất_khê, client, admin
):
    commune, _ = thất_khê
    rows = [
        [1, "Công an", None, "conganxa@thatkhe.example", "0205 3880 113"],
        [2, "Trạm Y tế xã Thất Khê", None, None, "0912 345 678"],
        [3, "Trường Tiểu học Thất Khê", "Trường học", "th.thatkhe@example.edu.vn", None],
        [4, "Phòng Thuế", None, "thue@example.org", None],
        [5, "Hội Liên hiệp Phụ nữ", None, "phu nu at thatkhe", None],
        [6, "công an xã thất khê", None, None, "0912000111"],
        [7, "Đoàn Thanh niên", "Đoàn thể", None, "0912000222"],
    ]
    job = run_import(AGENCIES, xlsx(rows, headings=["STT", "Cơ quan", "Loại", "Email", "SĐT"]))
    assert (job.status, job.created_records, job.linked_records, job.error_rows) == (
        ImportStatus.done, 1, 2, 4
    )  # fmt: skip
    session.expire_all()
    found = session.exec(select(Agency).where(Agency.commune_id == commune.id)).all()
    agencies = {a.kind: a for a in found if a.kind != AgencyKind.village}
    police = agencies[AgencyKind.police]
    assert (police.email, police.phone) == ("conganxa@thatkhe.example", "+842053880113")
    assert agencies[AgencyKind.health_station].phone == "+84912345678"
    school = agencies[AgencyKind.school]
    assert (school.name, school.email) == ("Trường Tiểu học Thất Khê", "th.thatkhe@example.edu.vn")
    assert agencies[AgencyKind.womens_union].email is None  # its row was refused
    page = client.get(f"{AGENCIES}/{job.id}", headers=admin).text
    assert "Xã không có cơ quan “Phòng Thuế”" in page
    assert "Cơ quan này đã có ở dòng 2 của tệp" in page
    assert "Loại “Đoàn thể”: chỉ ghi “Trường học”" in page
    assert "Đã thêm 1 trường học, cập nhật liên hệ của 2 cơ quan" in page


def test_a_list_with_a_bad_row_writes_nothing_when_all_or_nothing(run_import, session, thất_khê):
    commune, _ = thất_khê
    before = village_names(session, commune.id)
    rows = [[1, "Thôn Khuổi Hẩu"], [2, "Na Pan"]]
    job = run_import(VILLAGES, xlsx(rows, headings=["STT", "Thôn"]), mode="all_or_nothing")
    assert job.status == ImportStatus.not_imported
    assert village_names(session, commune.id) == before
