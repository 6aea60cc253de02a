"""Trang của tôi: each role finds what is due for them, counted with words and colours, and
each counter leads to the list behind it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from casework.audit.models import AuditEntry
from casework.cases.models import ProtectionCase
from tests.factories.browsing import browser


def counter(text: str, words: str) -> int:
    """The number shown with a counter's words."""
    before = text[: text.index(words)]
    return int(before.rsplit('cw-counter__number">', 1)[1].split("<", 1)[0])


def test_after_login_a_person_lands_on_their_own_page(client, world, browser_for):
    home = browser(client, browser_for, world.own.people["caseworker"]).get("/")
    assert home.status_code == 303
    assert home.headers["location"] == "/trang-cua-toi"


def test_a_caseworker_counts_their_cases_and_each_counter_is_a_link(
    client, world, browser_for, session
):
    caseworker = browser(client, browser_for, world.own.people["caseworker"])
    text = caseworker.get("/trang-cua-toi").text
    # the world's case is unassigned, an emergency, with running clocks and a declined task
    assert counter(text, "hồ sơ của tôi") == 0
    assert counter(text, "hồ sơ chưa ai phụ trách") == 1
    assert counter(text, "hồ sơ khẩn cấp") == 1
    assert counter(text, "hồ sơ quá hạn") == 0
    assert counter(text, "việc đang chờ lãnh đạo xử lý") == 1
    for href in ("?show=mine", "?show=unassigned", "?show=today", "?show=overdue"):
        assert f'href="/trang-cua-toi{href}"' in text
    assert 'href="/leo-thang"' in text
    listed = caseworker.get("/trang-cua-toi", show="emergency").text
    assert f'href="/ho-so/{world.own.case.code}"' in listed
    assert "Nguyễn Thị Hoa, 9 tuổi" in listed  # a caseworker may see the child's name
    assert world.other.case.code not in listed
    audit = session.exec(
        select(AuditEntry).where(AuditEntry.subject_type == "dashboard").order_by(AuditEntry.seq)
    ).all()
    assert audit[-1].detail == {"show": "emergency", "cases": [world.own.case.code]}


def test_a_case_assigned_to_someone_else_is_not_mine_but_the_supervisor_still_counts_it(
    client, world, browser_for, session
):
    case = session.get(ProtectionCase, world.own.case.id)
    case.assigned_caseworker_id = world.own.people["supervisor"].id  # anyone but the caseworker
    session.add(case)
    session.commit()
    mine = browser(client, browser_for, world.own.people["caseworker"]).get("/trang-cua-toi").text
    assert counter(mine, "hồ sơ của tôi") == 0
    assert counter(mine, "hồ sơ chưa ai phụ trách") == 0
    assert counter(mine, "hồ sơ khẩn cấp") == 0
    boss = browser(client, browser_for, world.own.people["supervisor"]).get("/trang-cua-toi").text
    assert counter(boss, "hồ sơ khẩn cấp") == 1
    assert counter(boss, "hồ sơ của tôi") == 1


def test_a_case_taken_becomes_mine_and_leaves_the_unassigned_ones(
    client, world, browser_for, headers_for
):
    code = world.own.case.code
    taken = client.post(f"/api/v1/cases/{code}/take", json={}, headers=headers_for("td.caseworker"))
    assert taken.status_code == 200
    caseworker = browser(client, browser_for, world.own.people["caseworker"])
    text = caseworker.get("/trang-cua-toi").text
    assert counter(text, "hồ sơ của tôi") == 1
    assert counter(text, "hồ sơ chưa ai phụ trách") == 0
    assert f'href="/ho-so/{code}"' in caseworker.get("/trang-cua-toi", show="mine").text
    assert f'href="/ho-so/{code}"' not in caseworker.get("/trang-cua-toi", show="unassigned").text


def test_overdue_and_due_today_follow_the_clock(client, world, browser_for, clock):
    caseworker = browser(client, browser_for, world.own.people["caseworker"])
    assert counter(caseworker.get("/trang-cua-toi").text, "hồ sơ đến hạn hôm nay") == 1
    clock.set(clock.now() + timedelta(days=1))
    text = caseworker.get("/trang-cua-toi").text
    assert counter(text, "hồ sơ quá hạn") == 1
    listed = caseworker.get("/trang-cua-toi", show="overdue").text
    assert "Quá hạn" in listed
    assert f'href="/ho-so/{world.own.case.code}"' in listed


@pytest.mark.parametrize("who", ["police.officer", "police.head"])
def test_an_agency_sees_its_tasks_counted(client, world, browser_for, who):
    text = browser(client, browser_for, world.own.people[who]).get("/trang-cua-toi").text
    assert counter(text, "nhiệm vụ cần làm") >= 1
    assert 'href="/nhiem-vu?show=overdue"' in text
    assert "hồ sơ của tôi" not in text
    assert world.own.case.code not in text


def test_a_collaborator_gets_only_the_button_to_report(client, world, browser_for):
    text = browser(client, browser_for, world.own.people["collaborator"]).get("/trang-cua-toi").text
    assert 'href="/bao-cao/moi"' in text
    assert "cw-counter" not in text
    assert world.own.case.code not in text


def test_a_province_viewer_sees_counts_per_commune_only(client, world, browser_for, session):
    text = (
        browser(client, browser_for, world.own.people["province_viewer"]).get("/trang-cua-toi").text
    )
    assert "Xã Thanh Định" in text
    assert world.own.case.code not in text
    assert "N.T.H." not in text
    assert session.exec(select(AuditEntry).where(AuditEntry.subject_type == "stats")).all()


def test_the_auditor_and_the_administrator_find_their_pages(client, world, browser_for):
    auditor = browser(client, browser_for, world.own.people["auditor"]).get("/trang-cua-toi").text
    assert 'href="/nhat-ky"' in auditor
    admin = browser(client, browser_for, world.own.people["admin"]).get("/trang-cua-toi").text
    assert 'href="/quan-tri/nguoi-dung"' in admin
    assert 'href="/quan-tri/co-quan"' in admin
    assert world.own.case.code not in admin
