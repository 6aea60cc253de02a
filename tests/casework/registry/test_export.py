"""Excel out: the register and the data-quality list as workbooks for the national system.

Re-read with python-calamine and compared cell by cell: the confidentiality level and
distribution scope on top (NĐ56 Đ24 k3), real dates, personal ids as text with their
leading zeros; every export audited with its filters and row count, never a name; only
the commune's caseworkers and supervisor may export.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
import sqlalchemy as sa
from python_calamine import CalamineWorkbook

from casework.accounts.models import Role, User
from casework.audit.models import AuditEntry
from casework.children.models import ChildCircumstance, CircumstanceGroup
from casework.registry.models import ChildSupport, SupportKind
from tests.factories.communes import create_commune
from tests.factories.records import add_child

REGISTER = "/dang-ky/xuat-excel"
QUALITY = "/dang-ky/chat-luong-du-lieu/xuat-excel"
I_GROUP = "i) Bị tổn hại nghiêm trọng về thể chất và tinh thần do bạo lực"
HEADINGS = [
    "STT",
    "Họ và tên",
    "Ngày sinh",
    "Giới tính",
    "Dân tộc",
    "Số định danh cá nhân",
    "Nơi thường trú (thôn, xã, tỉnh)",
    "Họ tên cha/mẹ/người chăm sóc",
]


@pytest.fixture
def commune(session, now):
    commune = create_commune(session, now=now)
    session.add(
        User(
            commune_id=commune.id,
            username="td.collaborator",
            full_name="Cộng tác viên",
            role=Role.collaborator,
            created_at=now,
        )
    )
    session.commit()
    return commune


@pytest.fixture
def register(session, commune, now):
    """A Hà Nội-born girl (id 001…: leading zeros) in two groups with support, and a boy
    with an estimated birth year and no id, in no group."""
    lan = add_child(
        session,
        commune,
        now=now,
        full_name="Nguyễn Thị Lan",
        personal_id="001316000004",
        date_of_birth=date(2016, 3, 9),
        caregiver="Nguyễn Thị Hằng",
    )
    session.add_all(
        [
            ChildCircumstance(child_id=lan.id, group=CircumstanceGroup.d, since=date(2024, 1, 15)),
            ChildCircumstance(
                child_id=lan.id, group=CircumstanceGroup.i, since=date(2025, 6, 1), at_risk=True
            ),
            ChildCircumstance(
                child_id=lan.id,
                group=CircumstanceGroup.a,
                since=date(2020, 1, 1),
                until=date(2023, 1, 1),
            ),
        ]
    )
    caseworker = session.execute(
        sa.select(User).where(User.username == "td.caseworker")
    ).scalar_one()
    session.add(
        ChildSupport(
            child_id=lan.id,
            kind=SupportKind.health_insurance,
            since=date(2025, 1, 1),
            recorded_by_id=caseworker.id,
            recorded_at=now,
        )
    )
    add_child(
        session,
        commune,
        now=now,
        full_name="Vàng A Pó",
        personal_id=None,
        date_of_birth=None,
        birth_year=2018,
        sex="male",
        ethnicity="H'Mông",
        village="Thôn Bản Chắt",
        caregiver=None,
    )
    session.commit()
    return lan


def user(session, username):
    return session.execute(sa.select(User).where(User.username == username)).scalar_one()


def download(client, browser_for, session, path, username="td.caseworker", **params):
    response = client.get(path, params=params, headers=browser_for(user(session, username)))
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    return sheet.to_python(skip_empty_area=False)


def table(rows):
    """The column headings' row and the data rows below it."""
    start = next(i for i, row in enumerate(rows) if row[:1] == ["STT"])
    return rows[start], [row for row in rows[start + 1 :] if any(cell != "" for cell in row)]


def test_the_register_sheet_is_marked_secret_with_its_scope_and_who_exported(
    client, browser_for, session, register
):
    rows = download(client, browser_for, session, REGISTER)
    top = [row[0] for row in rows[:5]]
    assert top[0].startswith("MẬT — Thông tin bí mật về trẻ em")
    assert "Điều 24 khoản 3" in top[0]
    assert top[1].startswith("Chỉ lưu hành nội bộ: Ủy ban nhân dân Xã Thanh Định")
    # 09:00 on Monday 2 March 2026 in Hà Nội: the test clock, shown in Vietnamese time
    assert (
        top[3] == "Người xuất: caseworker (Người làm công tác bảo vệ trẻ em); "
        "lúc 09:00 ngày 02/03/2026 (giờ Việt Nam)"
    )


def test_the_register_rows_compare_cell_by_cell(client, browser_for, session, register):
    headings, data = table(download(client, browser_for, session, REGISTER))
    assert headings == [
        *HEADINGS,
        "Nhóm hoàn cảnh đặc biệt (Đ10)",
        "Nhóm nhỏ",
        "Từ ngày",
        "Có nguy cơ",
        "Hình thức trợ giúp",
    ]
    residence = "Thôn Đồng Tâm, Xã Thanh Định, Thái Nguyên"
    lan = [
        "Nguyễn Thị Lan",
        date(2016, 3, 9),
        "Nữ",
        "Tày",
        "001316000004",
        residence,
        "Nguyễn Thị Hằng (mẹ)",
    ]
    # by village (Thôn Bản Chắt before Thôn Đồng Tâm), then in the Vietnamese list order;
    # the ended membership (a, until 2023) is history, not on the register today
    assert data == [
        [1.0, "Vàng A Pó", "2018 (năm sinh ước tính)", "Nam", "H'Mông", ""]
        + ["Thôn Bản Chắt, Xã Thanh Định, Thái Nguyên", "", "", "", "", "", ""],
        [2.0, *lan, "d) Khuyết tật", "", date(2024, 1, 15), "Không", "Bảo hiểm y tế"],
        [3.0, *lan, I_GROUP, "", date(2025, 6, 1), "Có", "Bảo hiểm y tế"],
    ]


def test_the_data_quality_list_exports_what_to_fix_with_the_page_filters(
    client, browser_for, session, register
):
    headings, data = table(
        download(client, browser_for, session, QUALITY, problem="no_personal_id")
    )
    assert headings == [*HEADINGS, "Cần sửa"]
    assert len(data) == 1
    assert data[0][1] == "Vàng A Pó"
    assert data[0][8].split("\n") == [
        "Chưa có số định danh cá nhân",
        "Thiếu ngày sinh (chỉ có năm sinh ước tính)",
        "Chưa có cha, mẹ hoặc người chăm sóc",
    ]
    rows = download(client, browser_for, session, QUALITY, problem="no_personal_id")
    assert "Lọc theo: chưa có số định danh cá nhân" in [row[0] for row in rows[:6]]


def test_every_export_is_audited_with_filters_and_rows_never_names(
    client, browser_for, session, register
):
    download(client, browser_for, session, REGISTER)
    download(client, browser_for, session, QUALITY, problem="no_personal_id")
    entries = (
        session.execute(
            sa.select(AuditEntry).where(AuditEntry.action == "export").order_by(AuditEntry.seq)
        )
        .scalars()
        .all()
    )
    assert [(e.subject_type, e.detail) for e in entries] == [
        ("registry", {"rows": 3}),
        ("data_quality", {"village_id": None, "problem": "no_personal_id", "rows": 1}),
    ]
    assert all(e.actor_id == user(session, "td.caseworker").id for e in entries)


@pytest.mark.parametrize("username", ["td.police.officer", "td.police.head", "td.collaborator"])
@pytest.mark.parametrize("path", [REGISTER, QUALITY])
def test_agencies_and_collaborators_cannot_export(
    client, browser_for, session, register, username, path
):
    response = client.get(path, headers=browser_for(user(session, username)))
    assert response.status_code == 404
    assert not session.execute(sa.select(AuditEntry).where(AuditEntry.action == "export")).first()


def test_an_api_token_cannot_export(client, headers_for, register):
    response = client.get(REGISTER, headers=headers_for("td.caseworker"))
    assert response.status_code == 403
