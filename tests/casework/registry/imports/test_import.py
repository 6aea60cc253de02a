"""Importing a commune's list of children: the dry run names every bad row in Vietnamese,
the person chooses all-or-nothing or valid rows only, matches are linked not duplicated,
and importing the same list again changes nothing."""

from __future__ import annotations

import io
from datetime import date

import sqlalchemy as sa
from python_calamine import CalamineWorkbook
from sqlmodel import select

from casework.audit.models import AuditEntry
from casework.children.models import Caregiver, Child, ChildCircumstance
from casework.registry.imports.models import ImportChecked, ImportMapping, ImportStatus
from casework.registry.quality_models import ChildQuality
from tests.factories.spreadsheets import HEADINGS, xlsx

GOOD = [
    [1, "Lò Thị Mai", date(2016, 5, 14), "Nữ", "Tày", "020316000123", "Đồng Tâm", "a, i",
     "Lò Thị Hoa", 912345678],
    [2, "Hoàng Văn Bình", "14/5/2015", "nam", "Kinh", None, "Bản Chắt", "đ", None, None],
    [3, "Vi Văn Cường", 42500, "Nam", "Nùng", 20216000124, "xom na pan", "Bị bỏ rơi", None, None],
]  # fmt: skip
BAD = [
    [4, "Triệu Thị Dung", "30/02/2016", "Nữ", "Dao", None, "Đồng Tâm", None, None, None],
    [5, "Nông Văn Em", date(2015, 1, 2), "Nam", "Tày", "999215000001", "Đồng Tâm", None, None,
     None],
    [6, "Mã Thị Gấm", date(2016, 3, 3), "Nữ", "Tày", None, "Thôn Chín", "z", None, None],
]  # fmt: skip


def children_named(session, *names: str) -> list[Child]:
    session.expire_all()
    return session.exec(select(Child).where(Child.full_name.in_(names))).all()


def report_of(client, caseworker, job_id: int) -> list[list[object]]:
    answer = client.get(f"/tre-em/nhap/{job_id}/bao-cao.xlsx", headers=caseworker)
    assert answer.status_code == 200
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(answer.content)).get_sheet_by_index(0)
    return sheet.to_python()


def test_the_dry_run_names_each_bad_row_and_column_in_vietnamese_and_writes_nothing(
    client, caseworker, upload, work, job_of, session, reread
):
    job = job_of(upload(xlsx(GOOD + BAD)))
    page = client.get(f"/tre-em/nhap/{job.id}", headers=caseworker).text
    assert "Đang chờ đến lượt xử lý" in page
    work()
    job = reread(job)
    assert job.status == ImportStatus.checked
    assert (job.total_rows, job.valid_rows, job.error_rows) == (6, 3, 3)
    lines = report_of(client, caseworker, job.id)
    assert lines[0] == ["Dòng", "Cột", "Loại", "Nội dung"]
    errors = {(int(row), column): text for row, column, kind, text in lines[1:] if kind == "Lỗi"}
    assert errors == {
        (5, "Ngày sinh"): "Ngày sinh “30/02/2016” không có thật trên lịch",
        (6, "Số định danh cá nhân"): (
            "Số định danh cá nhân bắt đầu bằng 999: không phải mã tỉnh, thành phố nơi đăng ký "
            "khai sinh nào (3 chữ số đầu, ví dụ 020 là Lạng Sơn)"
        ),
        (7, "Thôn/bản"): (
            "Xã không có thôn “Thôn Chín”. Chọn một trong: Thôn Bản Chắt, Thôn Đồng Tâm, Xóm Nà Pàn"
        ),
        (7, "Nhóm hoàn cảnh"): (
            "Nhóm hoàn cảnh “z” không có trong Luật Trẻ em Điều 10: ghi chữ a đến o (đ) hoặc "
            "tên nhóm, ví dụ “b” hoặc “Bị bỏ rơi”"
        ),
    }
    page = client.get(f"/tre-em/nhap/{job.id}", headers=caseworker).text
    assert "Nhóm hoàn cảnh “z” không có trong Luật Trẻ em Điều 10" in page
    assert children_named(session, "Lò Thị Mai", "Triệu Thị Dung") == []


def test_all_or_nothing_with_a_bad_row_imports_nothing_and_deletes_the_file(imported, session):
    job = imported(xlsx(GOOD + BAD), mode="all_or_nothing")
    assert job.status == ImportStatus.not_imported
    assert job.error_rows == 3
    assert job.created_records == 0
    assert job.file_data is None
    assert children_named(session, "Lò Thị Mai", "Hoàng Văn Bình") == []


def test_valid_rows_only_imports_the_good_rows_with_their_groups_and_caregiver(
    imported, session, world
):
    job = imported(xlsx(GOOD + BAD), mode="valid_only")
    assert job.status == ImportStatus.done, job.problem
    assert (job.created_records, job.linked_records, job.added_groups) == (3, 0, 4)
    assert job.file_data is None
    mai, binh, cuong = (children_named(session, name)[0] for name in
                        ("Lò Thị Mai", "Hoàng Văn Bình", "Vi Văn Cường"))  # fmt: skip
    assert (mai.date_of_birth, mai.personal_id, mai.commune_id) == (
        date(2016, 5, 14), "020316000123", world.own.commune.id)  # fmt: skip
    assert binh.date_of_birth == date(2015, 5, 14)
    assert cuong.date_of_birth == date(2016, 5, 10)  # Excel's serial 42500
    assert cuong.personal_id == "020216000124"  # the leading 0 the number lost
    groups = session.exec(select(ChildCircumstance.child_id, ChildCircumstance.group)).all()
    assert {(c, str(g)) for c, g in groups if c in (mai.id, binh.id, cuong.id)} == {
        (mai.id, "a"), (mai.id, "i"), (binh.id, "dd"), (cuong.id, "b")}  # fmt: skip
    mother = session.exec(select(Caregiver).where(Caregiver.child_id == mai.id)).one()
    assert (mother.full_name, mother.relation, mother.phone) == ("Lò Thị Hoa", "mẹ", "+84912345678")
    assert children_named(session, "Triệu Thị Dung", "Nông Văn Em", "Mã Thị Gấm") == []


def test_imported_children_are_on_the_data_quality_list_at_once(imported, session):
    job = imported(xlsx(GOOD + BAD), mode="valid_only")
    assert job.status == ImportStatus.done, job.problem
    created = [children_named(session, name)[0] for name in ("Lò Thị Mai", "Hoàng Văn Bình")]
    flags = {child.id: session.get(ChildQuality, child.id) for child in created}
    assert all(row is not None for row in flags.values()), "written around the ORM, not flagged"


def test_the_same_file_again_is_refused_and_changes_nothing(imported, upload, session):
    data = xlsx(GOOD)
    imported(data)
    before = session.exec(sa.select(sa.func.count()).select_from(Child)).one()
    again = upload(data)
    assert again.status_code == 422
    assert "Tệp này đã được nhập vào ngày" in again.text
    assert session.exec(sa.select(sa.func.count()).select_from(Child)).one() == before


def test_the_same_rows_in_another_file_are_linked_and_change_nothing(imported, session):
    imported(xlsx(GOOD))
    count = sa.select(sa.func.count())
    children = session.exec(count.select_from(Child)).one()
    groups = session.exec(count.select_from(ChildCircumstance)).one()
    job = imported(xlsx(GOOD, title="DANH SÁCH (bản lưu lại)"))
    assert job.status == ImportStatus.done
    assert (job.created_records, job.linked_records, job.added_groups) == (0, 3, 0)
    assert session.exec(count.select_from(Child)).one() == children
    assert session.exec(count.select_from(ChildCircumstance)).one() == groups


def test_a_child_already_registered_is_found_without_diacritics_and_only_gains_new_groups(
    imported, client, caseworker, session, world
):
    hoa = children_named(session, "Nguyễn Thị Hoa")
    hoa = next(c for c in hoa if c.commune_id == world.own.commune.id)
    row = [1, "NGUYEN THI HOA", "14/05/2016", "nu", "Kinh", None, "thon dong tam", "i", None, None]
    job = imported(xlsx([row]))
    assert (job.created_records, job.linked_records, job.added_groups) == (0, 1, 1)
    session.refresh(hoa)
    assert hoa.full_name == "Nguyễn Thị Hoa"
    assert hoa.version == 1
    lines = report_of(client, caseworker, job.id)
    assert lines[1][2:] == [
        "Ghi chú",
        "Đã có trong danh sách: không thay đổi thông tin của trẻ; thêm nhóm i)",
    ]


def test_a_personal_id_of_a_child_of_another_commune_is_refused(imported, session, world):
    other = session.exec(select(Child).where(Child.commune_id == world.other.commune.id)).first()
    other.personal_id = "020316000999"
    session.add(other)
    session.commit()
    row = [1, "Lò Thị Khác", date(2016, 5, 14), "Nữ", "Tày", "020316000999", None, None, None, None]
    job = imported(xlsx([row]))
    assert job.report[0][1:3] == ["personal_id", "import_personal_id_other_child"]
    assert job.created_records == 0


def test_the_header_is_found_below_a_title_with_merged_headings_and_a_numbering_row(
    imported, session
):
    headings = ("STT", "Họ và tên", "Ngày sinh", "Giới tính", "Dân tộc", "Họ tên cha, mẹ", "",
                "Thôn")  # fmt: skip
    rows = [
        [1, "Lương Văn Hải", "2017-08-09", "Nam", "Thái", "Lương Văn Tư", "Lò Thị Năm", "Nà Pàn"]
    ]
    data = xlsx(rows, headings=headings, title="DANH SÁCH TRẺ EM CÓ HOÀN CẢNH ĐẶC BIỆT",
                merged_header={"Họ tên cha, mẹ": (2, ("Cha", "Mẹ"))}, numbering=True)  # fmt: skip
    job = imported(data)
    assert job.header_row == 3
    assert job.mapping == [None, "full_name", "date_of_birth", "sex", "ethnicity", "father",
                           "mother", "village"]  # fmt: skip
    hai = children_named(session, "Lương Văn Hải")[0]
    people = session.exec(select(Caregiver.full_name, Caregiver.relation)
                          .where(Caregiver.child_id == hai.id)).all()  # fmt: skip
    assert sorted(people) == [("Lò Thị Năm", "mẹ"), ("Lương Văn Tư", "bố")]


def test_missing_columns_are_named_and_the_corrected_mapping_is_remembered(
    client, caseworker, upload, work, job_of, session, world, reread
):
    headings = ("Tên", "Sinh", "Giới tính", "Dân tộc")
    rows = [["Lù Văn Sáu", "2016", "Nam", "Hà Nhì"]]
    job = job_of(upload(xlsx(rows, headings=headings)))
    work()
    job = reread(job)
    assert job.status == ImportStatus.needs_mapping
    page = client.get(f"/tre-em/nhap/{job.id}", headers=caseworker).text
    assert "Tệp thiếu cột: Họ và tên, Ngày sinh / Năm sinh" in page
    form = client.get(f"/tre-em/nhap/{job.id}/cot", headers=caseworker).text
    assert "Cột 1: “Tên”" in form
    answer = client.post(
        f"/tre-em/nhap/{job.id}/cot",
        data={"cot-0": "full_name", "cot-1": "birth_year", "cot-2": "sex", "cot-3": "ethnicity"},
        headers=caseworker, follow_redirects=False,
    )  # fmt: skip
    assert answer.status_code == 303
    work()
    job = reread(job)
    assert (job.status, job.valid_rows) == (ImportStatus.checked, 1)
    kept = session.exec(select(ImportMapping)).one()
    assert (kept.commune_id, kept.mapping) == (
        world.own.commune.id, ["full_name", "birth_year", "sex", "ethnicity"])  # fmt: skip
    second = job_of(upload(xlsx([["Lù Thị Bảy", 2015, "Nữ", "Hà Nhì"]], headings=headings)))
    work()
    assert reread(second).status == ImportStatus.checked  # mapped as last time


def test_a_file_too_large_a_protected_one_and_a_corrupt_one_are_refused_in_vietnamese(
    upload, client, caseworker, databases
):
    limit = databases.settings.import_max_bytes
    too_large = upload(b"PK\x03\x04" + b"0" * limit)
    assert too_large.status_code == 422
    assert "Tệp lớn hơn 20 MB: chia danh sách thành nhiều tệp nhỏ hơn" in too_large.text
    from tests.casework.registry.imports.test_reader import encrypted_xlsx

    protected = upload(encrypted_xlsx())
    assert protected.status_code == 422
    assert "Tệp đang được đặt mật khẩu" in protected.text
    broken = upload(b"PK\x03\x04 not really a zip")
    assert broken.status_code == 422
    assert "Không đọc được tệp: tệp bị hỏng" in broken.text


def test_an_unreadable_workbook_fails_the_job_with_a_message_and_no_file_kept(
    upload, work, job_of, client, caseworker, reread
):
    job = job_of(upload(xlsx([], headings=("Cột A", "Cột B"))))
    work()
    job = reread(job)
    assert job.status == ImportStatus.failed
    assert job.file_data is None
    page = client.get(f"/tre-em/nhap/{job.id}", headers=caseworker).text
    assert "Không tìm thấy dòng tiêu đề cột" in page


def test_another_commune_cannot_see_the_job_and_the_audit_holds_counts_never_names(
    imported, client, browser_for, world, session
):
    job = imported(xlsx(GOOD))
    stranger = browser_for(world.other.people["caseworker"])
    assert client.get(f"/tre-em/nhap/{job.id}", headers=stranger).status_code == 404
    entries = session.exec(select(AuditEntry).where(AuditEntry.subject_type == "import_job")).all()
    done = next(e for e in entries if e.action == "update" and "created" in e.detail)
    assert done.detail == {"target": "children", "mode": "valid_only", "rows": 3, "created": 3,
                           "linked": 0, "groups": 4, "skipped": 0}  # fmt: skip
    logged = " ".join(str(e.detail) for e in entries)
    assert "Lò Thị Mai" not in logged
    assert "020316000123" not in logged


def test_csv_in_utf8_with_a_bom_and_semicolons_is_read_like_a_workbook(imported, session):
    from tests.factories.spreadsheets import csv_bytes

    rows = [[1, "Đinh Thị Lan", "01/06/2016", "Nữ", "Mường", "", "Đồng Tâm", "a", "", ""]]
    job = imported(csv_bytes(rows, delimiter=";", bom=True), name="ds.csv")
    assert job.status == ImportStatus.done
    assert job.created_records == 1
    assert children_named(session, "Đinh Thị Lan")[0].date_of_birth == date(2016, 6, 1)
    assert HEADINGS[1] == job.headings[1]


def _dry_run_then_import(client, caseworker, upload, work, job_of, reread, data, between):  # type: ignore[no-untyped-def]
    job = job_of(upload(data))
    work()
    between(job)
    answer = client.post(f"/tre-em/nhap/{job.id}/nhap", data={"mode": "valid_only"},
                         headers=caseworker, follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303
    work()
    return reread(job)


def test_the_import_writes_the_rows_the_dry_run_checked_without_reading_the_file_again(
    client, caseworker, upload, work, job_of, session, reread
):
    def spoil_the_file(job):  # type: ignore[no-untyped-def]
        job.file_data = b"not a workbook any more"
        session.add(job)
        session.commit()

    job = _dry_run_then_import(client, caseworker, upload, work, job_of, reread, xlsx(GOOD + BAD),
                               spoil_the_file)  # fmt: skip
    assert job.status == ImportStatus.done, job.problem
    assert (job.created_records, job.error_rows) == (3, 3)
    mai = children_named(session, "Lò Thị Mai")[0]
    assert (mai.date_of_birth, mai.birth_year, mai.personal_id) == (
        date(2016, 5, 14), 2016, "020316000123")  # fmt: skip
    assert session.get(ImportChecked, job.id) is None, "the checked rows outlived the job"


def test_a_child_registered_between_the_dry_run_and_the_import_is_linked_not_doubled(
    client, caseworker, upload, work, job_of, session, world, reread
):
    def register_mai(job):  # type: ignore[no-untyped-def]
        assert session.get(ImportChecked, job.id) is not None
        now = job.created_at
        mai = Child(commune_id=world.own.commune.id, full_name="Lò Thị Mai",
                    name_key="lo thi mai", personal_id="020316000123", birth_year=2016,
                    sex="female", ethnicity="Tày", created_at=now, updated_at=now)  # fmt: skip
        session.add(mai)
        session.commit()

    job = _dry_run_then_import(
        client, caseworker, upload, work, job_of, reread, xlsx(GOOD), register_mai
    )
    assert job.status == ImportStatus.done, job.problem
    assert (job.created_records, job.linked_records) == (2, 1)
    assert len(children_named(session, "Lò Thị Mai")) == 1


def test_imported_children_keep_the_times_and_dates_as_the_register_stores_them(
    imported, session, clock
):
    job = imported(xlsx(GOOD))
    assert job.status == ImportStatus.done, job.problem
    mai = children_named(session, "Lò Thị Mai")[0]
    assert mai.created_at == clock.now()
    assert mai.created_at.utcoffset() is not None
    membership = session.exec(
        select(ChildCircumstance).where(ChildCircumstance.child_id == mai.id)
    ).first()
    assert membership is not None
    assert membership.recorded_at == clock.now()
    assert (membership.at_risk, membership.until) == (False, None)
