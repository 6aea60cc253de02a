"""Merging in the browser: two records picked in the register, compared side by side,
merged with the values chosen; the supervisor undoes it from the record kept. And two
people merging the same pair at once: one wins, the other is told."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
import sqlalchemy as sa
from sqlmodel import select

from casework.accounts.models import Role, User
from casework.actors import Actor
from casework.authz import scopes
from casework.cases.models import ProtectionCase
from casework.children.models import Child
from casework.db import UnitOfWork, run_in_transaction
from casework.demo.seed import seed_demo
from casework.errors import CaseworkError
from casework.registry import merge as merge_service
from casework.registry.register_schemas import MergeIn
from tests.factories.communes import create_commune
from tests.factories.registry import add_child


@pytest.fixture
def caseworker(world, browser_for):
    return browser_for(world.own.people["caseworker"])


def test_the_compare_page_shows_both_records_and_what_differs(client, caseworker, pair, session):
    hoa, again = pair
    page = client.get(f"/dang-ky/gop?id={hoa.id}&id={again.id}", headers=caseworker)
    assert page.status_code == 200
    assert page.text.count("Khác nhau") == 2  # the personal id and the birth date
    assert "001316012345" in page.text
    assert "14/05/2016" in page.text
    assert f'name="take.personal_id" type="radio" value="{again.id}"' in page.text
    assert 'name="take.village_id"' not in page.text  # the same village: nothing to choose
    assert "/ho-so/TD-" in page.text  # Hoa's open case, which will move


def test_picking_one_record_or_three_asks_for_exactly_two(client, caseworker, pair):
    page = client.get(f"/dang-ky/gop?id={pair[0].id}", headers=caseworker)
    assert page.status_code == 422
    assert "Chọn đúng hai trẻ" in page.text


def test_the_form_merges_with_the_values_chosen_and_the_supervisor_undoes_it(
    client, caseworker, world, browser_for, session, pair
):
    hoa, again = pair
    form = {
        "csrf_token": "csrf-of-the-test",
        "first_id": hoa.id,
        "second_id": again.id,
        "first_version": hoa.version,
        "second_version": again.version,
        "keep_id": hoa.id,
        "take.personal_id": again.id,
        "take.birth": hoa.id,
    }
    done = client.post("/dang-ky/gop", data=form, headers=caseworker, follow_redirects=False)
    assert done.status_code == 303, done.text
    assert done.headers["location"] == f"/tre-em/{hoa.id}/gop?done=merged"
    session.expire_all()
    assert session.get(Child, hoa.id).personal_id == "001316012345"
    listed = client.get(done.headers["location"], headers=caseworker).text
    assert "Đã gộp hai hồ sơ" in listed
    assert "Hoàn tác" not in listed
    supervisor = browser_for(world.own.people["supervisor"])
    assert (
        "Hoàn tác việc gộp hồ sơ số" in client.get(f"/tre-em/{hoa.id}/gop", headers=supervisor).text
    )
    undone = client.post(
        f"/tre-em/{again.id}/hoan-tac-gop",
        data={"csrf_token": "csrf-of-the-test"},
        headers=supervisor,
        follow_redirects=False,
    )
    assert undone.status_code == 303
    session.expire_all()
    assert session.get(Child, again.id).merged_into_id is None
    assert session.get(Child, again.id).personal_id == "001316012345"
    assert session.get(Child, hoa.id).personal_id is None


def test_a_refused_merge_shows_the_page_again_with_the_choices_kept(
    client, caseworker, session, pair
):
    hoa, again = pair
    form = {
        "csrf_token": "csrf-of-the-test",
        "first_id": hoa.id,
        "second_id": again.id,
        "first_version": hoa.version - 1,  # compared before someone changed it
        "second_version": again.version,
        "keep_id": again.id,
        "take.personal_id": again.id,
    }
    page = client.post("/dang-ky/gop", data=form, headers=caseworker)
    assert page.status_code == 409
    assert "so sánh lại" in page.text
    assert (
        f'id="keep-{again.id}" name="keep_id" type="radio" value="{again.id}" checked' in page.text
    )


@pytest.fixture
def two_records(live_factory, now):
    with UnitOfWork(live_factory) as uow:
        commune = create_commune(uow.session, now=now)
        first = add_child(uow.session, commune, "Hoàng Thị Mai", now=now)
        second = add_child(uow.session, commune, "Hoàng Thị Mai", now=now, born=None,
                           birth_year=2016)  # fmt: skip
        uow.commit()
        ids = (first.id, second.id)
    with live_factory() as session:
        user = session.execute(sa.select(User).where(User.role == Role.caseworker)).scalars().one()
        actor = Actor(user_id=user.id, role=Role.caseworker, commune_id=user.commune_id)
    return ids, actor


def test_two_people_merging_the_same_pair_at_once_one_wins_one_is_told(
    live_factory, now, two_records
):
    (first, second), actor = two_records
    barrier = threading.Barrier(2)

    def merge(keep_other: tuple[int, int]) -> str:
        keep, other = keep_other
        data = MergeIn(keep_id=keep, other_id=other, keep_version=1, other_version=1)
        barrier.wait()
        try:
            run_in_transaction(
                live_factory,
                lambda s: merge_service.merge(
                    s, actor, scope=scopes.visible_children(actor), data=data, now=now
                ),
            )
            return "merged"
        except CaseworkError as refused:
            return refused.code

    with ThreadPoolExecutor(2) as pool:
        outcomes = sorted(pool.map(merge, [(first, second), (second, first)]))
    assert outcomes == ["merge_record_changed", "merged"]
    with live_factory() as session:
        pointers = session.execute(
            sa.select(Child.merged_into_id).where(Child.id.in_([first, second]))
        ).scalars()
        assert sorted(p is None for p in pointers) == [False, True]


def test_the_demo_s_two_hoang_thi_mai_are_merged_and_her_case_follows(
    client, browser_for, session, now, databases
):
    seed_demo(session, now=now, tz=databases.settings.tz)
    session.commit()
    mai, again = session.exec(
        select(Child).where(Child.full_name == "Hoàng Thị Mai").order_by(Child.id)
    ).all()
    caseworker = browser_for(session.exec(select(User).where(User.username == "canbo.hoa")).one())
    page = client.get("/dang-ky", params={"q": "hoang thi mai"}, headers=caseworker).text
    assert page.count('name="id" type="checkbox"') == 2
    compared = client.get(f"/dang-ky/gop?id={mai.id}&id={again.id}", headers=caseworker)
    assert "Khác nhau" in compared.text
    case = session.exec(select(ProtectionCase).where(ProtectionCase.child_id == again.id)).one()
    form = {
        "csrf_token": "csrf-of-the-test",
        "first_id": mai.id,
        "second_id": again.id,
        "first_version": mai.version,
        "second_version": again.version,
        "keep_id": mai.id,
        "take.birth": mai.id,
    }
    done = client.post("/dang-ky/gop", data=form, headers=caseworker, follow_redirects=False)
    assert done.status_code == 303, done.text
    session.expire_all()
    assert session.get(ProtectionCase, case.id).child_id == mai.id
    old = client.get(f"/tre-em/{again.id}", headers=caseworker)
    assert case.code in old.text  # the old link opens Mai's record, with the case moved
    listed = client.get("/dang-ky", params={"q": "hoang thi mai"}, headers=caseworker).text
    assert listed.count('name="id" type="checkbox"') == 1
