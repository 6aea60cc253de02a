"""Need-to-know: a village sees its own households' steps, the police the fields to
verify for their own step, nobody outside the commune anything; never a case."""

from __future__ import annotations

API = "/api/v1/cleaning"


def started(client, headers_for, villages) -> dict[str, dict]:
    caseworker = headers_for("td.caseworker")
    loops = [
        client.post(API, json={"village_id": v.id}, headers=caseworker).json()
        for v in (villages.dong_tam, villages.ban_chat)
    ]
    return {loop["full_name"]: loop for batch in loops for loop in batch}


def test_a_collaborator_sees_only_her_own_villages_households(client, headers_for, villages, world):
    loops = started(client, headers_for, villages)
    mine = client.get(f"{API}/tasks", headers=headers_for("td.collaborator")).json()
    assert {loop["full_name"] for loop in mine} == {"Nguyễn Thị Hoa", "Lò Văn Minh"}
    lan = loops["Hà Thị Lan"]["id"]
    assert (
        client.get(f"{API}/tasks/{lan}", headers=headers_for("td.collaborator")).status_code == 404
    )
    refused = client.post(
        f"{API}/tasks/{lan}/visit", json={}, headers=headers_for("td.collaborator")
    )
    assert refused.status_code == 404
    theirs = client.get(f"{API}/tasks", headers=headers_for("td.banchat.head")).json()
    assert [loop["full_name"] for loop in theirs] == ["Hà Thị Lan"]


def test_the_village_sees_name_birth_year_village_and_what_is_wrong_never_a_case(
    client, headers_for, villages, world
):
    loops = started(client, headers_for, villages)
    answer = client.get(
        f"{API}/tasks/{loops['Nguyễn Thị Hoa']['id']}", headers=headers_for("td.collaborator")
    )
    assert answer.status_code == 200
    shown = answer.json()
    assert shown["full_name"] == "Nguyễn Thị Hoa"
    assert shown["birth_year"] == 2016
    assert shown["village"] == "Thôn Đồng Tâm"
    assert shown["problem_labels"] == ["Chưa có số định danh cá nhân"]
    assert world.own.case.code not in answer.text
    assert "2016-05-14" not in answer.text  # not even the record's date of birth
    assert shown["record_personal_id"] is None
    assert shown["child_version"] is None


def test_the_police_see_the_fields_to_verify_only_while_the_step_is_theirs(
    client, headers_for, villages, world
):
    loops = started(client, headers_for, villages)
    hoa = loops["Nguyễn Thị Hoa"]["id"]
    police = headers_for("td.police.officer")
    assert client.get(f"{API}/tasks/{hoa}", headers=police).status_code == 404  # still at the visit
    client.post(
        f"{API}/tasks/{hoa}/visit",
        json={"personal_id": "020316000123"},
        headers=headers_for("td.collaborator"),
    )
    shown = client.get(f"{API}/tasks/{hoa}", headers=police)
    assert shown.status_code == 200
    assert shown.json()["visit"]["personal_id"] == "020316000123"
    assert shown.json()["child_version"] is None  # the record itself is the caseworker's
    assert world.own.case.code not in shown.text
    assert client.get(f"{API}/{hoa}", headers=police).status_code == 404  # the caseworker's view
    assert (
        client.get(
            f"{API}/tasks/{hoa}", headers=headers_for("td.health_station.officer")
        ).status_code
        == 404
    )
    assert (
        client.get(f"{API}/tasks/{hoa}", headers=headers_for("kh.police.officer")).status_code
        == 404
    )


def test_another_communes_caseworker_sees_nothing_of_the_loops(client, headers_for, villages):
    loops = started(client, headers_for, villages)
    other = headers_for("kh.caseworker")
    assert client.get(API, headers=other).json() == []
    assert client.get(f"{API}/{loops['Hà Thị Lan']['id']}", headers=other).status_code == 404
    refused = client.post(API, json={"child_id": villages.lan.id}, headers=other)
    assert refused.status_code == 422  # no such child in their register
