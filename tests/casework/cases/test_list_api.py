from __future__ import annotations

import pytest
import sqlalchemy as sa

from casework.models import ProtectionCase
from tests.factories.communes import create_commune
from tests.factories.intakes import intake_payload

CHILDREN = [
    ("Nguyễn Thị Hoa", "Thôn Đồng Tâm"),
    ("Đặng Văn Đức", "Thôn Bản Chắt"),
    ("Hoàng Thị Hường", "Xóm Nà Pàn"),
    ("Nguyễn Văn Hòa", "Thôn Đồng Tâm"),
]


@pytest.fixture
def cases(session, now, client, act_as):
    create_commune(session, now=now)
    create_commune(session, now=now, code="OTHER", name="Xã Khác", prefix="KH", villages=())
    session.commit()
    act_as("td.caseworker")
    codes = []
    for name, village in CHILDREN:
        payload = intake_payload(**{"child.full_name": name, "child.village": village})
        codes.append(client.post("/api/v1/intakes", json=payload).json()["case_code"])
    return codes


def test_cases_list_newest_first_with_paging(client, cases):
    page = client.get("/api/v1/cases", params={"page_size": 3}).json()
    assert page["total"] == 4
    assert page["pages"] == 2
    assert len(page["items"]) == 3
    second = client.get("/api/v1/cases", params={"page_size": 3, "page": 2}).json()
    listed = [item["code"] for item in page["items"] + second["items"]]
    assert sorted(listed) == sorted(cases)


def test_case_search_ignores_diacritics_and_case(client, cases):
    for query in ("nguyen", "NGUYỄN", "hoa"):
        names = {
            item["child_name"]
            for item in client.get("/api/v1/cases", params={"q": query}).json()["items"]
        }
        assert names >= {"Nguyễn Thị Hoa"}, query
    names = {
        i["child_name"]
        for i in client.get("/api/v1/cases", params={"q": "dang van duc"}).json()["items"]
    }
    assert names == {"Đặng Văn Đức"}


def test_case_search_by_code(client, cases):
    items = client.get("/api/v1/cases", params={"q": cases[1].lower()}).json()["items"]
    assert [item["code"] for item in items] == [cases[1]]


def test_cases_filter_by_village_status_and_risk(client, cases, session):
    by_village = client.get("/api/v1/cases", params={"village": "thon dong tam"}).json()
    assert by_village["total"] == 2
    session.execute(
        sa.update(ProtectionCase).where(ProtectionCase.code == cases[2]).values(risk_level="high")
    )
    session.commit()
    high = client.get("/api/v1/cases", params={"risk": "high", "status": "received"}).json()
    assert [item["code"] for item in high["items"]] == [cases[2]]
    assert client.get("/api/v1/cases", params={"status": "closed"}).json()["total"] == 0


def test_cases_filter_by_commune(client, cases):
    assert client.get("/api/v1/cases", params={"commune": "OTHER"}).json()["total"] == 0
    assert client.get("/api/v1/cases", params={"commune": "TD-TEST"}).json()["total"] == 4


def test_unknown_status_filter_is_a_clear_error(client, cases):
    response = client.get("/api/v1/cases", params={"status": "open"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["field"] == "status"


def test_page_size_is_capped(client, cases):
    response = client.get("/api/v1/cases", params={"page_size": 1000})
    assert response.status_code == 422
    assert response.json()["detail"][0]["msg"] == "Số dòng mỗi trang tối đa là 100"


def test_children_search_ignores_diacritics_and_shows_open_case(client, cases):
    page = client.get("/api/v1/children", params={"q": "huong"}).json()
    [child] = page["items"]
    assert child["full_name"] == "Hoàng Thị Hường"
    assert child["open_case_code"] == cases[2]
    assert child["village"] == "Xóm Nà Pàn"


def test_children_search_with_d_for_dj(client, cases):
    page = client.get("/api/v1/children", params={"q": "duc"}).json()
    assert [c["full_name"] for c in page["items"]] == ["Đặng Văn Đức"]


def test_children_search_treats_percent_literally(client, cases):
    assert client.get("/api/v1/children", params={"q": "%"}).json()["total"] == 0


def test_query_errors_say_they_are_in_the_query(client, cases):
    [error] = client.get("/api/v1/cases", params={"page": 0}).json()["detail"]
    assert error["loc"] == ["query", "page"]
    assert error["msg"] == "Số trang phải từ 1 trở lên"
