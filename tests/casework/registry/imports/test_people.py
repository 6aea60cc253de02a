"""Importing a commune's people from a spreadsheet, through the register's one pipeline:
the dry run reports every bad row (a username taken or repeated, a role that does not
exist, a malformed phone, nowhere to send the link) before any account is made; the
accounts made have no password, each gets its activation link; the same list again makes
no second account; only the commune's administrator sees its imports."""

from __future__ import annotations

import io

import pytest
from python_calamine import CalamineWorkbook
from sqlmodel import select

from casework.accounts.models import AccountActivation, Role, User
from casework.agencies.models import Agency, AgencyKind
from casework.audit.models import AuditEntry
from casework.communes.models import Commune
from casework.registry.imports.models import ImportStatus
from notifications.models import OutboxMessage
from tests.factories.spreadsheets import xlsx

HEADINGS = ["STT", "Họ và tên", "Tên đăng nhập", "Vai trò", "Cơ quan", "Thôn", "Số điện thoại",
            "Email"]  # fmt: skip
GOOD = [
    [1, "Hoàng Thị Hoa", "canbo.hoa", "Người làm công tác bảo vệ trẻ em", None, None,
     912345678, "hoa@thatkhe.example"],
    [2, "Vi Văn Hùng", "congan.hung", "Cán bộ đầu mối", "Công an", None, "0987 654 321", None],
    [3, "Nông Thị Mai", "yte.mai", "lanh dao co quan", "Trạm Y tế xã Thất Khê", None, None,
     "mai@thatkhe.example"],
    [4, "Mông Thị Nga", "ctv.nga", "Cộng tác viên", None, "thon na pan", "0912000111", None],
    [5, "Phạm Thị Lan", "pct.lan", "Lãnh đạo UBND xã", None, None, None, "lan@thatkhe.example"],
]  # fmt: skip
BAD = [
    [6, "Lò Văn Tính", "canbo.hoa", "Cán bộ đầu mối", "Công an", None, "0912000222", None],
    [7, "Đặng Thị Hương", "truong.huong", "Giám đốc", None, None, "0912000333", None],
    [8, "Chu Thị Linh", "tuphap.linh", "Cán bộ đầu mối", "Tư pháp", None, "12345", None],
    [9, "Lăng Thị Thủy", "phunu.thuy", "Cán bộ đầu mối", "Hội Liên hiệp Phụ nữ", None, None,
     None],
    [10, "Hà Văn Sáng", "ha sang", "Cán bộ đầu mối", None, None, "0912000444", None],
    [11, "Triệu Văn Đức", "duc.kt", "Cán bộ đầu mối", "Phòng Thuế", None, "0912000555", None],
    [12, "Lý Văn Sơn", "td.caseworker", "Quản trị hệ thống", None, None, "0912000666", None],
]  # fmt: skip


@pytest.fixture
def upload_people(upload_to):
    return lambda data: upload_to("/quan-tri/nguoi-dung/nhap", data)


def people_file(rows) -> bytes:  # type: ignore[no-untyped-def]
    return xlsx(rows, headings=HEADINGS)


def choose(client, admin, job_id: int, mode: str) -> None:
    answer = client.post(f"/quan-tri/nguoi-dung/nhap/{job_id}/nhap", data={"mode": mode},
                         headers=admin, follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303, answer.text


def usernames(session, commune: Commune) -> set[str]:
    session.expire_all()
    return set(session.exec(select(User.username).where(User.commune_id == commune.id)).all())


def test_the_dry_run_names_each_bad_row_before_any_account_is_made(
    client, admin, upload_people, work, job_of, session, thất_khê, reread
):
    commune, _ = thất_khê
    job = job_of(upload_people(people_file(GOOD + BAD)))
    work()
    job = reread(job)
    assert job.status == ImportStatus.checked
    assert (job.total_rows, job.valid_rows, job.error_rows) == (12, 5, 7)
    answer = client.get(f"/quan-tri/nguoi-dung/nhap/{job.id}/bao-cao.xlsx", headers=admin)
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(answer.content)).get_sheet_by_index(0)
    errors = {(int(row), column): text for row, column, kind, text in sheet.to_python()[1:]
              if kind == "Lỗi"}  # fmt: skip
    assert errors == {
        (7, "Tên đăng nhập"): "Tên đăng nhập trùng với dòng 2 của tệp",
        (8, "Vai trò"): "Vai trò “Giám đốc” không có: ghi một trong Người làm công tác bảo vệ "
        "trẻ em, Cán bộ đầu mối, Lãnh đạo cơ quan, Lãnh đạo UBND xã, Cộng tác viên, Kiểm tra "
        "nhật ký, Quản trị hệ thống",
        (9, "Số điện thoại"): "Điện thoại phải là số điện thoại Việt Nam, ví dụ số di động 10 "
        "chữ số bắt đầu bằng 0",
        (10, "Số điện thoại"): "Nhập thư điện tử hoặc số điện thoại: đường dẫn kích hoạt tài "
        "khoản được gửi tới đó",
        (11, "Tên đăng nhập"): "Tên đăng nhập dài 3 đến 64 ký tự, chỉ gồm chữ không dấu, số, "
        "dấu chấm, gạch ngang",
        (12, "Cơ quan"): "Xã không có cơ quan “Phòng Thuế”: ghi tên cơ quan như trang Quản trị "
        "› Cơ quan",
        (13, "Tên đăng nhập"): "Tên đăng nhập “td.caseworker” đã có người dùng",
    }
    page = client.get(f"/quan-tri/nguoi-dung/nhap/{job.id}", headers=admin).text
    assert "Chỉ nhập các dòng hợp lệ" in page
    assert usernames(session, commune) == {"quantri.tk"}  # nothing made by the dry run


def test_valid_rows_become_accounts_without_passwords_each_with_an_activation_link(
    client, admin, upload_people, work, job_of, session, thất_khê, reread
):
    commune, administrator = thất_khê
    job = job_of(upload_people(people_file(GOOD + BAD)))
    work()
    choose(client, admin, job.id, "valid_only")
    work()
    job = reread(job)
    assert (job.status, job.created_records) == (ImportStatus.done, 5)
    assert "Đã tạo 5 tài khoản" in client.get(f"/quan-tri/nguoi-dung/nhap/{job.id}",
                                              headers=admin).text  # fmt: skip
    made = {u.username: u for u in session.exec(select(User).where(User.commune_id == commune.id))}
    agency = {a.id: a for a in session.exec(select(Agency).where(Agency.commune_id == commune.id))}
    assert {name: (made[name].role, agency[made[name].agency_id].kind)
            for name in ("canbo.hoa", "congan.hung", "yte.mai", "ctv.nga")} == {
        "canbo.hoa": (Role.caseworker, AgencyKind.culture_social),  # the office, by default
        "congan.hung": (Role.agency_officer, AgencyKind.police),  # "Công an": its beginning
        "yte.mai": (Role.agency_head, AgencyKind.health_station),
        "ctv.nga": (Role.collaborator, AgencyKind.village),  # the village's board
    }  # fmt: skip
    assert (made["pct.lan"].role, made["pct.lan"].agency_id) == (Role.supervisor, None)
    assert made["canbo.hoa"].phone == "+84912345678"
    assert all(made[name].password_hash is None for name in made)
    links = session.exec(select(AccountActivation)).all()
    assert sorted(made[name].id for name in made if name != "quantri.tk") == sorted(
        link.user_id for link in links
    )
    assert {link.created_by_id for link in links} == {administrator.id}
    sent = session.exec(select(OutboxMessage).where(OutboxMessage.kind == "account.activate"))
    assert len({message.subject_ref for message in sent}) == 5
    audited = session.exec(
        select(AuditEntry).where(AuditEntry.subject_type == "import_job",
                                 AuditEntry.subject_id == str(job.id))
    ).all()  # fmt: skip
    done = next(entry for entry in audited if (entry.detail or {}).get("created") == 5)
    made_ids = {made[name].id for name in made if name != "quantri.tk"}
    assert set(done.detail["made"]) == made_ids  # which accounts the import made
    assert done.commune_id == commune.id


def test_the_same_people_again_make_no_second_account(
    client, admin, upload_people, work, job_of, session, thất_khê, reread
):
    commune, _ = thất_khê
    first = job_of(upload_people(people_file(GOOD)))
    work()
    choose(client, admin, first.id, "all_or_nothing")
    work()
    more = [[6, "Lò Văn Tính", "congan.tinh", "Cán bộ đầu mối", "Công an", None, "0912000222",
             None]]  # fmt: skip
    again = job_of(upload_people(people_file(GOOD + more)))
    work()
    choose(client, admin, again.id, "all_or_nothing")
    work()
    again = reread(again)
    assert (again.status, again.created_records, again.existing_rows) == (
        ImportStatus.done, 1, 5
    )  # fmt: skip
    assert len(usernames(session, commune)) == 1 + 5 + 1


def test_all_or_nothing_with_a_bad_row_makes_no_account(
    client, admin, upload_people, work, job_of, session, thất_khê, reread
):
    commune, _ = thất_khê
    job = job_of(upload_people(people_file(GOOD + BAD[:1])))
    work()
    choose(client, admin, job.id, "all_or_nothing")
    work()
    assert reread(job).status == ImportStatus.not_imported
    assert usernames(session, commune) == {"quantri.tk"}
    assert not session.exec(select(AccountActivation)).all()


def test_only_the_communes_administrator_sees_its_imports(
    client, admin, upload_people, work, job_of, browser_for, world, thất_khê
):
    job = job_of(upload_people(people_file(GOOD)))
    other_admin = browser_for(world.own.people["admin"])
    assert client.get(f"/quan-tri/nguoi-dung/nhap/{job.id}", headers=other_admin).status_code == 404
    caseworker = browser_for(world.own.people["caseworker"])
    assert client.get("/quan-tri/nguoi-dung/nhap", headers=caseworker).status_code == 404
    # a list of people is not on the children's pages, even for its own commune
    assert client.get(f"/tre-em/nhap/{job.id}", headers=admin).status_code == 404
