"""Rà soát, làm sạch dữ liệu trẻ em (Đề án 06): which records the commune must clean.

Each record lacking a basic field of the national child information system, or with a
personal id that cannot be right (Thông tư 07/2016/TT-BCA: PPPGYYSSSSSS), is listed with
what is wrong in Vietnamese; a clean record is counted, never listed; a merged-away record
is neither.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from casework.accounts.models import Role, User
from casework.audit.models import AuditEntry
from tests.factories.communes import create_commune
from tests.factories.records import add_child, village_of

API = "/api/v1/registry/data-quality"


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
def records(session, commune, now):
    """One clean record, one record per problem, and a merged-away pointer."""
    clean = add_child(session, commune, now=now, full_name="Hà Thị Sạch")
    made = {
        "no_id": add_child(session, commune, now=now, full_name="Chưa Có Số", personal_id=None),
        "malformed": add_child(session, commune, now=now, full_name="Số Ngắn", personal_id="12345"),
        "province": add_child(
            session, commune, now=now, full_name="Tỉnh Lạ", personal_id="999316000001"
        ),
        "sex": add_child(
            session, commune, now=now, full_name="Sai Giới", personal_id="020216000002"
        ),
        "year": add_child(
            session, commune, now=now, full_name="Sai Năm", personal_id="020315000003"
        ),
        "estimated": add_child(
            session,
            commune,
            now=now,
            full_name="Năm Ước Tính",
            personal_id=None,
            date_of_birth=None,
            village="Thôn Bản Chắt",
        ),
        "no_caregiver": add_child(
            session, commune, now=now, full_name="Không Người Chăm", caregiver=None
        ),
        "no_ethnicity": add_child(
            session, commune, now=now, full_name="Thiếu Dân Tộc", ethnicity=""
        ),
        "no_name": add_child(session, commune, now=now, full_name=" "),
    }
    add_child(
        session,
        commune,
        now=now,
        full_name="Bản Ghi Đã Gộp",
        personal_id=None,
        caregiver=None,
        merged_into_id=clean.id,
    )
    session.commit()
    return {"clean": clean, **made}


def listed(client, **params):
    response = client.get(API, params={"page_size": 100, **params})
    assert response.status_code == 200, response.text
    return response.json()


def problems_by_child(answer):
    return {
        row["child_id"]: {p["problem"]: p["message"] for p in row["problems"]}
        for row in answer["rows"]["items"]
    }


def test_each_problem_of_the_de_an_06_list_is_found_and_said_in_vietnamese(client, act_as, records):
    act_as("td.caseworker")
    found = problems_by_child(listed(client))

    def of(key):
        return found[records[key].id]

    assert records["clean"].id not in found
    assert set(of("no_id")) == {"no_personal_id"}
    assert of("no_id")["no_personal_id"] == "Chưa có số định danh cá nhân"
    assert set(of("malformed")) == {"personal_id_format"}
    assert "12 chữ số" in of("malformed")["personal_id_format"]
    assert set(of("province")) == {"personal_id_province"}
    assert "999" in of("province")["personal_id_province"]
    assert set(of("sex")) == {"personal_id_sex_mismatch"}
    assert of("sex")["personal_id_sex_mismatch"] == (
        "Số định danh cá nhân ghi giới tính nam, nhưng hồ sơ ghi nữ"
    )
    assert set(of("year")) == {"personal_id_year_mismatch"}
    assert "2015" in of("year")["personal_id_year_mismatch"]
    assert set(of("estimated")) == {"no_personal_id", "missing_date_of_birth"}
    assert "năm sinh ước tính" in of("estimated")["missing_date_of_birth"]
    assert set(of("no_caregiver")) == {"no_caregiver"}
    assert set(of("no_ethnicity")) == {"missing_ethnicity"}
    assert set(of("no_name")) == {"missing_full_name"}


def test_a_merged_record_is_a_pointer_neither_listed_nor_counted(client, act_as, records):
    act_as("td.caseworker")
    answer = listed(client)
    names = {row["full_name"] for row in answer["rows"]["items"]}
    assert "Bản Ghi Đã Gộp" not in names
    assert answer["total"] == 10  # the clean one and the nine with problems
    assert answer["clean"] == 1
    assert answer["rows"]["total"] == 9


def test_counts_per_village_and_per_problem(client, act_as, records, session, commune):
    act_as("td.supervisor")
    answer = listed(client)
    villages = {v["village"]: v for v in answer["villages"]}
    assert villages["Thôn Đồng Tâm"]["total"] == 9
    assert villages["Thôn Đồng Tâm"]["clean"] == 1
    assert villages["Thôn Đồng Tâm"]["to_fix"] == 8
    assert villages["Thôn Bản Chắt"] == {
        **villages["Thôn Bản Chắt"],
        "total": 1,
        "clean": 0,
        "to_fix": 1,
    }
    counted = {p["problem"]: p["count"] for p in answer["problems"]}
    assert counted["no_personal_id"] == 2
    assert counted["missing_date_of_birth"] == 1
    assert counted["personal_id_province"] == 1
    assert counted["missing_sex"] == 0


def test_the_list_filters_by_village_and_by_problem(client, act_as, records, session, commune):
    act_as("td.caseworker")
    ban_chat = village_of(session, commune, "Thôn Bản Chắt").id
    by_village = listed(client, village=ban_chat)
    assert [row["full_name"] for row in by_village["rows"]["items"]] == ["Năm Ước Tính"]
    assert by_village["rows"]["total"] == 1
    by_problem = listed(client, problem="no_personal_id")
    assert {row["full_name"] for row in by_problem["rows"]["items"]} == {
        "Chưa Có Số",
        "Năm Ước Tính",
    }
    both = listed(client, problem="no_caregiver", village=ban_chat)
    assert both["rows"]["items"] == []


def test_an_unknown_problem_is_refused_naming_the_field(client, act_as, records):
    act_as("td.caseworker")
    response = client.get(API, params={"problem": "bad_luck"})
    assert response.status_code == 422
    assert "problem" in response.text


def test_a_missing_sex_is_a_problem(client, act_as, records, session):
    session.execute(
        sa.update(records["clean"].__class__)
        .where(records["clean"].__class__.id == records["clean"].id)
        .values(sex="")
    )
    session.commit()
    act_as("td.caseworker")
    found = problems_by_child(listed(client))
    assert set(found[records["clean"].id]) == {"missing_sex"}


def test_the_list_is_audited_by_child_number_never_by_name(client, act_as, records, session):
    act_as("td.caseworker")
    listed(client, problem="no_personal_id")
    entry = session.execute(
        sa.select(AuditEntry).where(AuditEntry.subject_type == "data_quality")
    ).scalar_one()
    assert sorted(entry.detail["children"]) == sorted(
        [records["no_id"].id, records["estimated"].id]
    )
    assert entry.detail["problem"] == "no_personal_id"
    assert "Chưa Có Số" not in str(entry.detail)


@pytest.mark.parametrize("username", ["td.police.officer", "td.police.head", "td.collaborator"])
def test_agencies_and_collaborators_do_not_see_the_list(client, headers_for, records, username):
    response = client.get(API, headers=headers_for(username))
    assert response.status_code == 404


def test_the_page_shows_the_counts_and_what_to_fix(client, browser_for, records, session):
    user = session.execute(sa.select(User).where(User.username == "td.caseworker")).scalar_one()
    response = client.get("/dang-ky/chat-luong-du-lieu", headers=browser_for(user))
    assert response.status_code == 200
    page = response.text
    assert "Rà soát, làm sạch dữ liệu trẻ em" in page
    assert "1 trên 10 hồ sơ đã đủ và đúng thông tin cơ bản" in page
    assert "Số định danh cá nhân bắt đầu bằng 999" in page
    assert "Thôn Bản Chắt" in page


def test_an_estimated_year_alone_makes_the_record_incomplete(client, act_as, session, commune, now):
    child = add_child(
        session, commune, now=now, full_name="Chỉ Có Năm", date_of_birth=None, birth_year=2016
    )
    session.commit()
    act_as("td.caseworker")
    found = problems_by_child(listed(client))
    assert set(found[child.id]) == {"missing_date_of_birth"}
