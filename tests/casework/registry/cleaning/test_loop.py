"""Đề án 06 for a village's records: the household visit, the police verification with the
ids they supply, the record updated, closed; the records then leave the data-quality list."""

from __future__ import annotations

import sqlalchemy as sa
from sqlmodel import select

from casework.children.models import Child
from casework.registry import quality
from casework.registry.cleaning.models import CleaningLoop
from casework.registry.quality_models import ChildQuality

API = "/api/v1/cleaning"
HOA_ID = "020316000123"  # Lạng Sơn, a girl born in 2016
MINH_ID = "020218000456"  # Lạng Sơn, a boy born in 2018


def to_fix(session, commune_id: int) -> set[int]:
    """The children of the commune the data-quality list names."""
    return set(
        session.execute(
            sa.select(Child.id)
            .join(ChildQuality, ChildQuality.child_id == Child.id)
            .where(quality.registered(Child.commune_id == commune_id), quality.ANY_PROBLEM)
        ).scalars()
    )


def start_village(client, headers_for, village) -> list[dict]:
    answer = client.post(API, json={"village_id": village.id}, headers=headers_for("td.caseworker"))
    assert answer.status_code == 200, answer.text
    return answer.json()


def visit(client, headers_for, loop_id: int, **found) -> dict:
    answer = client.post(
        f"{API}/tasks/{loop_id}/visit", json=found, headers=headers_for("td.collaborator")
    )
    assert answer.status_code == 200, answer.text
    return answer.json()


def verify(client, headers_for, loop_id: int, **verified):
    return client.post(
        f"{API}/tasks/{loop_id}/verify", json=verified, headers=headers_for("td.police.officer")
    )


def test_the_police_verify_two_ids_and_the_records_leave_the_quality_list(
    client, headers_for, session, villages, world
):
    commune_id = world.own.commune.id
    assert {villages.hoa.id, villages.minh.id} <= to_fix(session, commune_id)
    loops = start_village(client, headers_for, villages.dong_tam)
    by_name = {loop["full_name"]: loop for loop in loops}
    assert sorted(by_name) == ["Lò Văn Minh", "Nguyễn Thị Hoa"]  # Bản Chắt's Lan is not here
    assert by_name["Lò Văn Minh"]["problems"] == ["no_personal_id"]

    # 1. The collaborator of Thôn Đồng Tâm visits both households.
    steps = client.get(f"{API}/tasks", headers=headers_for("td.collaborator")).json()
    assert {step["full_name"] for step in steps} == set(by_name)
    visit(
        client,
        headers_for,
        by_name["Nguyễn Thị Hoa"]["id"],
        personal_id=HOA_ID,
        mother="Hà Thị Sen",
    )
    visit(
        client, headers_for, by_name["Lò Văn Minh"]["id"], birth_certificate="Số 12, quyển 01/2018"
    )
    assert client.get(f"{API}/tasks", headers=headers_for("td.collaborator")).json() == []

    # 2. The commune police verify both against the population database.
    steps = client.get(f"{API}/tasks", headers=headers_for("td.police.officer")).json()
    assert len(steps) == 2
    for name, digits, born, sex in (
        ("Nguyễn Thị Hoa", HOA_ID, "2016-05-14", "female"),
        ("Lò Văn Minh", MINH_ID, "2018-04-02", "male"),
    ):
        answer = verify(
            client,
            headers_for,
            by_name[name]["id"],
            personal_id=digits,
            date_of_birth=born,
            sex=sex,
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["state"] == "update"

    # 3. The caseworker applies what was verified; the loops close.
    caseworker = headers_for("td.caseworker")
    for name in by_name:
        loop = client.get(f"{API}/{by_name[name]['id']}", headers=caseworker).json()
        answer = client.post(
            f"{API}/{loop['id']}/update",
            json={"child_version": loop["child_version"]},
            headers=caseworker,
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["state"] == "closed"

    session.expire_all()
    assert session.get(Child, villages.hoa.id).personal_id == HOA_ID
    assert session.get(Child, villages.minh.id).personal_id == MINH_ID
    left = to_fix(session, commune_id)
    assert villages.hoa.id not in left
    assert villages.minh.id not in left
    assert villages.lan.id in left  # Bản Chắt's loop was never started
    assert client.get(API, headers=caseworker).json() == []


def test_one_open_loop_per_child(client, headers_for, session, villages):
    first = start_village(client, headers_for, villages.dong_tam)
    again = client.post(
        API, json={"child_id": villages.hoa.id}, headers=headers_for("td.caseworker")
    ).json()
    assert [loop["id"] for loop in again] == [
        loop["id"] for loop in first if loop["full_name"] == "Nguyễn Thị Hoa"
    ]
    assert start_village(client, headers_for, villages.dong_tam) == []
    assert session.exec(select(sa.func.count()).select_from(CleaningLoop)).one() == 2


def test_a_verified_id_is_checked_as_at_intake(client, headers_for, villages):
    loop = start_village(client, headers_for, villages.dong_tam)[0]
    visit(client, headers_for, loop["id"])
    wrong = verify(
        client,
        headers_for,
        loop["id"],
        personal_id="999216000123",
        date_of_birth="2016-05-14",
        sex="female",
    )
    assert wrong.status_code == 422
    messages = [entry["msg"] for entry in wrong.json()["detail"]]
    assert any("không phải mã tỉnh" in message for message in messages), messages
    assert any("giới tính nam" in message for message in messages), messages
    assert {entry["field"] for entry in wrong.json()["detail"]} == {"personal_id"}
    short = verify(
        client,
        headers_for,
        loop["id"],
        personal_id="0203",
        date_of_birth="2016-05-14",
        sex="female",
    )
    assert short.status_code == 422
    assert "12 chữ số" in short.json()["detail"][0]["msg"]


def test_an_update_on_a_record_changed_meanwhile_is_refused_and_explained(
    client, headers_for, session, villages
):
    loop = client.post(
        API, json={"child_id": villages.minh.id}, headers=headers_for("td.caseworker")
    ).json()[0]
    visit(client, headers_for, loop["id"])
    verify(
        client, headers_for, loop["id"], personal_id=MINH_ID, date_of_birth="2018-04-02", sex="male"
    )
    caseworker = headers_for("td.caseworker")
    seen = client.get(f"{API}/{loop['id']}", headers=caseworker).json()
    child = session.get(Child, villages.minh.id)
    child.ethnicity = "Nùng"  # someone edits the record meanwhile
    session.commit()
    answer = client.post(
        f"{API}/{loop['id']}/update",
        json={"child_version": seen["child_version"]},
        headers=caseworker,
    )
    assert answer.status_code == 409
    assert "đã được sửa sau khi bạn mở trang" in answer.json()["detail"][0]["msg"]
    session.expire_all()
    assert session.get(Child, villages.minh.id).personal_id is None
