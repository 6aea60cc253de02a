"""Lịch làm việc của xã: the supervisor enters the commune's own days off (a local festival)
and make-up working days (a Saturday worked), the working-day clocks started afterwards
follow them, clocks already running keep their due times, and every change is audited."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlmodel import select

from casework.agencies.models import Agency, AgencyKind
from casework.audit.models import AuditEntry
from casework.cases.models import ProtectionCase, Task
from casework.communes.models import CommuneDayOff
from casework.timefmt import as_utc
from tests.factories.browsing import browser
from tests.factories.intakes import intake_payload

# The world's "now" is Monday 2 March 2026, 09:00 in Hà Nội. A task of 5 working days
# started that day ends on Monday 9 March, 23:59:59 local (16:59:59 UTC).
ORDINARY_DUE = datetime(2026, 3, 9, 16, 59, 59, tzinfo=UTC)


@pytest.fixture
def supervisor(client, world, browser_for):
    return browser(client, browser_for, world.own.people["supervisor"])


def _add(supervisor, day: str, kind: str, reason: str = "Lễ hội Lồng Tồng của xã"):  # type: ignore[no-untyped-def]
    d, m, y = day.split("/")
    fields = {"day.day": d, "day.month": m, "day.year": y, "day_kind": kind, "reason": reason}
    return supervisor.post("/lich-lam-viec", fields)


def _family_support_due(client, headers_for, session, name: str) -> datetime:
    """A new report of violence in a family: the women's union's task (5 working days)."""
    payload = intake_payload(**{"child.full_name": name, "child.date_of_birth": "2015-01-02"})
    answer = client.post("/api/v1/intakes", json=payload, headers=headers_for("td.caseworker"))
    assert answer.status_code == 201, answer.text
    return _due(session, answer.json()["case_code"])


def _due(session, code: str) -> datetime:
    session.expire_all()
    return as_utc(
        session.execute(
            sa.select(Task.due_at)
            .join(ProtectionCase, ProtectionCase.id == Task.case_id)
            .join(Agency, Agency.id == Task.agency_id)
            .where(ProtectionCase.code == code, Agency.kind == AgencyKind.womens_union)
        ).scalar_one()
    )


def test_without_days_of_its_own_the_commune_counts_the_national_calendar(
    client, world, headers_for, session
):
    assert _family_support_due(client, headers_for, session, "Hà Văn Khải") == ORDINARY_DUE


def test_a_local_festival_the_supervisor_enters_is_skipped_by_later_clocks(
    supervisor, client, world, headers_for, session
):
    done = _add(supervisor, "04/03/2026", "day_off")
    assert done.status_code == 303, done.text
    page = supervisor.get(done.headers["location"]).text
    assert "Đã thêm ngày vào lịch của xã." in page
    assert "04/03/2026" in page
    assert "Thứ Tư" in page
    assert "Lễ hội Lồng Tồng của xã" in page
    due = _family_support_due(client, headers_for, session, "Hà Văn Khải")
    assert due == datetime(2026, 3, 10, 16, 59, 59, tzinfo=UTC)  # one working day later


def test_a_saturday_the_commune_works_is_counted(supervisor, client, world, headers_for, session):
    assert _add(supervisor, "07/03/2026", "make_up", "Làm bù cho ngày nghỉ 4/3").status_code == 303
    page = supervisor.get("/lich-lam-viec").text
    assert "Ngày làm bù" in page
    due = _family_support_due(client, headers_for, session, "Hà Văn Khải")
    assert due == datetime(2026, 3, 7, 16, 59, 59, tzinfo=UTC)  # Saturday counts


def test_clocks_already_running_keep_their_due_times_and_the_page_says_so(
    supervisor, world, session
):
    code = world.own.case.code
    before = _due(session, code)
    assert _add(supervisor, "04/03/2026", "day_off").status_code == 303
    assert _due(session, code) == before
    text = supervisor.get("/lich-lam-viec").text
    assert "Các thời hạn đang chạy giữ nguyên hạn đã tính" in text


@pytest.mark.parametrize(
    ("day", "kind", "message"),
    [
        (
            "08/03/2026",
            "day_off",
            "Ngày 08/03/2026 là Chủ nhật, vốn đã là ngày nghỉ; chọn một ngày làm việc",
        ),
        (
            "30/04/2026",
            "day_off",
            "Ngày 30/04/2026 là ngày lễ “Ngày Chiến thắng”, vốn đã là ngày nghỉ; "
            "chọn một ngày làm việc",
        ),
        (
            "04/03/2026",
            "make_up",
            "Ngày 04/03/2026 là thứ Tư, vốn là ngày làm việc: ngày làm bù phải là thứ Bảy, "
            "Chủ nhật hoặc ngày nghỉ lễ",
        ),
        ("01/01/2020", "day_off", "Ngày phải trong khoảng từ 01/03/2025 đến 31/12/2027"),
        ("31/02/2026", "day_off", "Ngày phải là ngày có thật"),
    ],
)
def test_a_day_that_cannot_be_what_it_is_said_to_be_is_refused_in_words(
    supervisor, world, session, day, kind, message
):
    refused = _add(supervisor, day, kind)
    assert refused.status_code == 422
    assert f'<a href="#day">{message}</a>' in refused.text
    assert 'value="Lễ hội Lồng Tồng của xã"' in refused.text  # nothing typed is lost
    assert session.exec(select(CommuneDayOff)).all() == []


def test_an_empty_form_says_what_to_enter_and_a_day_is_listed_once(supervisor, session):
    empty = supervisor.post("/lich-lam-viec", {})
    assert empty.status_code == 422
    for field, message in (
        ("day", "Nhập ngày"),
        ("day_kind", "Chọn loại ngày"),
        ("reason", "Nhập lý do"),
    ):
        assert f'<a href="#{field}">{message}</a>' in empty.text
    assert _add(supervisor, "04/03/2026", "day_off").status_code == 303
    again = _add(supervisor, "04/03/2026", "day_off", "Lần nữa")
    assert again.status_code == 422
    assert "Ngày 04/03/2026 đã có trong lịch của xã" in again.text


def test_the_supervisor_removes_a_day_and_each_change_is_audited(supervisor, world, session):
    assert _add(supervisor, "04/03/2026", "day_off").status_code == 303
    removed = supervisor.post("/lich-lam-viec/xoa", {"day": "2026-03-04"})
    assert removed.status_code == 303
    assert "Đã xóa ngày khỏi lịch của xã." in supervisor.get(removed.headers["location"]).text
    assert session.exec(select(CommuneDayOff)).all() == []
    gone = supervisor.post("/lich-lam-viec/xoa", {"day": "2026-03-04"})
    assert gone.status_code == 422
    assert "Ngày 04/03/2026 không có trong lịch của xã" in gone.text
    changes = session.exec(
        select(AuditEntry)
        .where(AuditEntry.subject_type == "commune_calendar", AuditEntry.action == "update")
        .order_by(AuditEntry.seq)
    ).all()
    assert [(e.subject_id, e.detail) for e in changes] == [
        ("TD-TEST", {"action": "add", "day": "2026-03-04", "kind": "day_off"}),
        ("TD-TEST", {"action": "remove", "day": "2026-03-04", "kind": "day_off"}),
    ]


def test_another_communes_days_are_its_own(client, world, browser_for, supervisor, session):
    assert _add(supervisor, "04/03/2026", "day_off").status_code == 303
    other = browser(client, browser_for, world.other.people["supervisor"])
    assert "04/03/2026" not in other.get("/lich-lam-viec").text
    assert other.post("/lich-lam-viec/xoa", {"day": "2026-03-04"}).status_code == 422
    assert len(session.exec(select(CommuneDayOff)).all()) == 1


@pytest.mark.parametrize("who", ["caseworker", "police.head", "auditor"])
def test_only_the_supervisor_and_the_administrator_keep_the_calendar(
    client, world, browser_for, supervisor, who
):
    admin = browser(client, browser_for, world.own.people["admin"])
    assert 'href="/lich-lam-viec"' in admin.get("/trang-cua-toi").text
    assert _add(admin, "05/03/2026", "day_off").status_code == 303
    assert 'href="/lich-lam-viec"' in supervisor.get("/trang-cua-toi").text
    person = browser(client, browser_for, world.own.people[who])
    assert 'href="/lich-lam-viec"' not in person.get("/trang-cua-toi").text
    assert person.get("/lich-lam-viec").status_code == 404
    assert _add(person, "04/03/2026", "day_off").status_code == 404
