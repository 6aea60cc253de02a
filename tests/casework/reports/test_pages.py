"""The statistics page, its workbook and the population figures, as people use them."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import docx
import openpyxl
import pytest
import sqlalchemy as sa
from sqlmodel import select

from casework.audit.models import AuditEntry
from casework.reports.models import ChildPopulation
from tests.factories.records import add_child
from tests.factories.statistics import reported_case

PAGE = "/thong-ke"


@pytest.fixture
def abused(session, world, now):
    """One girl in the own commune and six boys in the other, found abused in February."""
    received = datetime(2026, 2, 10, 2, tzinfo=UTC)
    girl = add_child(session, world.own.commune, now=now, full_name="Lò Thị Hoa", personal_id=None)
    reported_case(session, girl, received=received, forms=["sexual_abuse"])
    for n in range(6):
        boy = add_child(
            session,
            world.other.commune,
            now=now,
            full_name=f"Vi Văn Nam {n}",
            sex="male",
            village=None,
            personal_id=None,
        )
        reported_case(session, boy, received=received, forms=["violence"])
    session.commit()


def cell(html: str, name: str) -> str:
    """The text of the cell marked ``data-<name>``."""
    start = html.index(f"data-{name}")
    return html[html.index(">", start) + 1 : html.index("<", start)].strip()


def test_the_caseworker_sees_the_half_year_and_every_view_is_audited(
    client, browser_for, session, world, abused
):
    response = client.get(PAGE, headers=browser_for(world.own.people["caseworker"]))
    assert response.status_code == 200
    html = response.text
    assert "6 tháng đầu năm 2026" in html
    assert cell(html, 'figure="abused_children"') == "1"
    assert "Lò Thị Hoa" not in html
    assert "Chưa có số trẻ em của năm 2026" in html
    entry = session.execute(
        sa.select(AuditEntry).where(AuditEntry.subject_type == "statistics")
    ).scalar_one()
    assert entry.detail["period"] == ["2026-01-01", "2026-06-30"]
    assert entry.detail["communes"] == [world.own.commune.id]


def test_the_province_viewer_sees_small_counts_as_less_than_five(
    client, browser_for, session, world, abused
):
    viewer = world.own.people["province_viewer"]
    html = client.get(PAGE, headers=browser_for(viewer)).text
    assert cell(html, 'figure="abused_children"') == "7"  # both communes of the province
    assert cell(html, 'cell="abused_children.sex.female"') == "&lt; 5"
    assert cell(html, 'cell="abused_children.sex.male"') == "—"  # 6 would give the 1 away
    side = html[html.index('id="communes-side-by-side"') :]
    own_row = side[side.index('data-commune="TD-TEST"') :]
    other_row = side[side.index('data-commune="OTHER"') :]
    numbers = [c.split("<")[0] for c in own_row.split('numeric">')[1:3]]
    assert numbers == ["&lt; 5", "0"]  # one abused girl, nobody on the register
    assert other_row.split('numeric">')[1].split("<")[0] == "6"
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"{PAGE}/tai-xuong.xlsx", headers=browser_for(viewer)).content)
    )
    rows = {r[0]: r[1] for r in book["0101 Trẻ em bị xâm hại"].iter_rows(values_only=True)}
    assert (rows["Tổng số"], rows["Nữ"], rows["Nam"]) == (7, "< 5", "—")  # as the page
    own = client.get(PAGE, params={"xa": "TD-TEST"}, headers=browser_for(viewer)).text
    assert cell(own, 'figure="abused_children"') == "&lt; 5"
    assert "Lò Thị Hoa" not in own


def test_the_workbook_has_a_sheet_per_indicator_with_the_page_numbers(
    client, browser_for, session, world, abused
):
    response = client.get(
        f"{PAGE}/tai-xuong.xlsx",
        params={"ky": "2026"},
        headers=browser_for(world.own.people["supervisor"]),
    )
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    sheet = book["0101 Trẻ em bị xâm hại"]
    rows = {r[0]: r[1:] for r in sheet.iter_rows(values_only=True) if r[0]}
    assert rows["Tổng số"][:2] == (1, 0)  # this year, last year
    assert rows["Nữ"][:2] == (1, 0)
    assert rows["Xâm hại tình dục"][:2] == (1, 0)
    assert str(sheet["A1"].value).startswith("Mức độ bảo mật")
    assert "Trẻ em có HCĐB" in book.sheetnames
    texts = " ".join(
        str(v) for s in book.worksheets for r in s.iter_rows(values_only=True) for v in r if v
    )
    assert "Lò Thị Hoa" not in texts
    entry = session.execute(sa.select(AuditEntry).where(AuditEntry.action == "export")).scalar_one()
    assert (entry.subject_type, entry.detail["period"]) == (
        "statistics",
        ["2026-01-01", "2026-12-31"],
    )


def test_an_unknown_period_is_named_and_nothing_is_counted(client, browser_for, world):
    response = client.get(
        PAGE, params={"ky": "2026-H3"}, headers=browser_for(world.own.people["caseworker"])
    )
    assert response.status_code == 422
    assert "Chọn một kỳ trong danh sách" in response.text


@pytest.mark.parametrize("username", ["police.officer", "collaborator", "auditor"])
def test_agencies_collaborators_and_auditors_see_no_statistics(
    client, browser_for, world, username
):
    response = client.get(PAGE, headers=browser_for(world.own.people[username]))
    assert response.status_code == 404


def population(session, commune_id):
    return {
        (r.village_id, r.sex, r.age_group): r.children
        for r in session.exec(
            select(ChildPopulation).where(ChildPopulation.commune_id == commune_id)
        )
    }


def test_the_caseworker_enters_the_year_children_and_a_typing_slip_loses_nothing(
    client, browser_for, session, world
):
    headers = browser_for(world.own.people["caseworker"])
    commune = world.own.commune
    form = client.get(f"{PAGE}/dan-so", params={"nam": 2026}, headers=headers)
    assert form.status_code == 200
    village = session.execute(
        sa.text("SELECT id FROM village WHERE commune_id = :c ORDER BY name LIMIT 1"),
        {"c": commune.id},
    ).scalar_one()
    sent = client.post(
        f"{PAGE}/dan-so?nam=2026",
        data={f"so.{village}.female.0-5": "1.200", "so.0.male.11-15": "35"},
        headers=headers,
        follow_redirects=False,
    )
    assert sent.status_code == 303
    session.expire_all()
    saved = population(session, commune.id)
    assert saved == {(village, "female", "0-5"): 1200, (None, "male", "11-15"): 35}
    wrong = client.post(
        f"{PAGE}/dan-so?nam=2026",
        data={f"so.{village}.female.0-5": "mười", "so.0.male.11-15": "40"},
        headers=headers,
    )
    assert wrong.status_code == 422
    assert "Nhập số trẻ em bằng chữ số" in wrong.text
    assert 'value="mười"' in wrong.text
    session.expire_all()
    assert population(session, commune.id) == saved
    page = client.get(PAGE, headers=headers).text
    assert "Chưa có số trẻ em của năm 2026" not in page


def docx_text(content: bytes) -> tuple[str, list[list[list[str]]]]:
    """A Word document's paragraphs and its tables' cells, read back with python-docx."""
    doc = docx.Document(io.BytesIO(content))
    text = "\n".join(p.text for p in doc.paragraphs)
    tables = [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]
    return text, tables


def test_the_caseworker_downloads_the_half_year_report_with_the_right_numbers(
    client, browser_for, session, world, abused
):
    response = client.get(
        f"{PAGE}/bao-cao.docx", headers=browser_for(world.own.people["caseworker"])
    )
    assert response.status_code == 200
    text, tables = docx_text(response.content)
    assert "Độ mật: HẠN CHẾ" in text
    assert "Phạm vi phổ biến" in text
    assert "II. KẾT QUẢ THỰC HIỆN" in text
    assert "Công tác bảo vệ trẻ em (ở 3 cấp độ)" in text
    abused_table = next(
        t
        for t in tables
        if t[0][1] == "6 tháng đầu năm 2026" and any(row[0] == "   Xâm hại tình dục" for row in t)
    )
    rows = {row[0]: row[1:] for row in abused_table}
    assert rows["Tổng số"] == ["1", "0"]
    assert rows["   Nữ"] == ["1", "0"]
    assert "Lò Thị Hoa" not in text + repr(tables)
    entry = session.execute(
        sa.select(AuditEntry).where(AuditEntry.subject_type == "statistics_document")
    ).scalar_one()
    assert entry.action == "export"
    police = client.get(
        f"{PAGE}/bao-cao.docx", headers=browser_for(world.own.people["police.officer"])
    )
    assert police.status_code == 403  # sees the reports page, may not draft the commune's
