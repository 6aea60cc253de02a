"""The register in the browser: the child's page shows the groups, the at-risk mark and
the proposals; the register page's forms record and end, and a refused form keeps what
was typed with the error next to its field."""

from __future__ import annotations

import pytest

from tests.casework.registry.test_memberships import add
from tests.casework.registry.test_proposals import assess, sexual_abuse


@pytest.fixture
def browser(world, browser_for):  # type: ignore[no-untyped-def]
    return browser_for(world.own.people["caseworker"]) | {"Accept": "text/html"}


def test_the_childs_page_shows_groups_at_risk_and_open_proposals(
    client, browser, caseworker, report
):
    case = sexual_abuse(report)
    assess(client, caseworker, case.code)
    add(client, caseworker, case.child_id, group="c", subgroup="c.3", since="2026-01-05")
    add(client, caseworker, case.child_id, group="h", at_risk=True, since="2026-01-05")
    page = client.get(f"/tre-em/{case.child_id}", headers=browser).text
    assert "c) Không nơi nương tựa" in page
    assert "c.3: Mồ côi cha hoặc mẹ và người còn lại đang chấp hành án phạt tù" in page
    assert "Có nguy cơ rơi vào hoàn cảnh đặc biệt (không tính vào 14 nhóm)" in page
    assert f"Đề xuất từ hồ sơ {case.code}: nhóm l) Bị xâm hại tình dục" in page
    listed = client.get("/dang-ky/de-xuat", headers=browser).text
    assert "Vi Thị Lan" in listed
    assert f"/tre-em/{case.child_id}/nhom-hoan-canh#de-xuat-" in listed


def test_a_membership_is_added_from_the_form_and_a_bad_date_keeps_the_typing(client, browser, hoa):
    fields = {"group": "b", "subgroup": "b.1", "since.day": "5", "since.month": "1",
              "since.year": "2026", "evidence": "Biên bản tiếp nhận"}  # fmt: skip
    answer = client.post(
        f"/tre-em/{hoa}/nhom-hoan-canh", data=fields, headers=browser, follow_redirects=False
    )
    assert answer.status_code == 303, answer.text
    page = client.get(answer.headers["location"], headers=browser).text
    assert "Đã ghi nhóm cho trẻ." in page
    assert "b.1: Bị bỏ rơi, chưa được chăm sóc thay thế" in page
    bad = fields | {"group": "a", "subgroup": "", "since.year": "2015"}
    refused = client.post(f"/tre-em/{hoa}/nhom-hoan-canh", data=bad, headers=browser)
    assert refused.status_code == 422
    assert "Từ ngày phải từ ngày sinh của trẻ (14/05/2016) trở đi" in refused.text
    assert 'value="2015"' in refused.text
