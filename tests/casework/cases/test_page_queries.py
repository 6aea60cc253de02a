"""The case pages ask the database a fixed number of questions, however big the case or the
list (no query per task, per history entry, per message or per row): the issue's 50 ms
target for the case page with 100,000 cases depends on it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import pytest
import sqlalchemy as sa
from sqlmodel import select

from casework.accounts.models import User
from casework.agencies.models import Agency
from casework.cases import service as case_service
from casework.cases.models import Task, TaskStatus
from casework.deadlines.models import CaseDeadline
from casework.intake import service as intake_service
from casework.intake.schemas import IntakeCreate
from notifications.models import OutboxMessage
from tests.casework.cases.pages import Browser
from tests.factories.intakes import intake_payload


@contextmanager
def counted(engine: sa.Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def note(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        if "SAVEPOINT" not in statement:  # the test harness's, around each transaction
            statements.append(statement)

    sa.event.listen(engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        sa.event.remove(engine, "before_cursor_execute", note)


@pytest.fixture
def web(client, world, browser_for):
    return Browser(client, world, browser_for)


def queries(engine, web: Browser, path: str) -> list[str]:
    with counted(engine) as statements:
        answer = web.get("caseworker", path)
    assert answer.status_code == 200, answer.text
    return statements


def grow(session, world, now, n: int, start: int = 0) -> None:
    """More of everything a case page lists: tasks with running clocks, history entries by
    different people, messages to different people."""
    case = world.own.case
    users = session.exec(select(User).where(User.commune_id == world.own.commune.id)).all()
    agencies = session.exec(select(Agency).where(Agency.commune_id == world.own.commune.id)).all()
    for i in range(start, start + n):
        task = Task(
            case_id=case.id,
            agency_id=agencies[i % len(agencies)].id,
            kind="plan.activity",
            title=f"Hoạt động {i}",
            starts_at=now,
            due_at=now + timedelta(days=i + 1),
            status=TaskStatus.accepted,
            created_at=now,
            cost_vnd=1000 * i,
        )
        session.add(task)
        session.flush()
        session.add(
            CaseDeadline(
                instance_id=case.instance_id,
                case_id=case.id,
                task_id=task.id,
                kind="task_due",
                clock="hours",
                starts_at=now,
                due_at=task.due_at,
            )
        )
        user = users[i % len(users)]
        case_service.record_events(
            session,
            [
                case_service.history_entry(
                    case_id=case.id,
                    event="task_accepted",
                    now=now + timedelta(minutes=i),
                    actor_id=user.id,
                    payload={"task_id": task.id, "agency_id": task.agency_id, "note": "ổn"},
                )
            ],
        )
        session.add(
            OutboxMessage(
                kind="task.new",
                recipient=f"user:{user.id}",
                channel="sms",
                subject_ref=f"case:{case.code}",
                dedupe_key=f"grow-{i}",
                next_attempt_at=now,
                created_at=now,
            )
        )
    session.commit()


def test_the_case_page_asks_the_same_number_of_questions_for_a_bigger_case(
    web, world, session, engine, now
):
    code = world.own.case.code
    grow(session, world, now, 1)
    small = queries(engine, web, f"/ho-so/{code}")
    grow(session, world, now, 12, start=1)
    big = queries(engine, web, f"/ho-so/{code}")
    assert len(big) == len(small), "\n".join(big)
    assert len(big) <= 40
    assert "Hoạt động 11" in web.get("caseworker", f"/ho-so/{code}").text


def test_the_print_and_form_pages_do_not_grow_with_the_case(web, world, session, engine, now):
    code = world.own.case.code
    paths = (f"/ho-so/{code}/in/ke-hoach", f"/ho-so/{code}/su-kien/transfer")
    grow(session, world, now, 1)
    small = [len(queries(engine, web, path)) for path in paths]
    grow(session, world, now, 12, start=1)
    assert [len(queries(engine, web, path)) for path in paths] == small


def test_the_list_asks_the_same_number_of_questions_for_a_full_page(
    web, world, session, engine, now, databases
):
    small = queries(engine, web, "/ho-so")
    for i in range(25):
        payload = intake_payload(
            **{"child.full_name": f"Trẻ Số {i}", "child.date_of_birth": f"2015-01-{i + 1:02d}"}
        )
        intake_service.record_intake(
            session,
            data=IntakeCreate.model_validate_json(json.dumps(payload)),
            now=now,
            tz=databases.settings.tz,
        )
    session.commit()
    big = queries(engine, web, "/ho-so")
    assert len(big) == len(small), "\n".join(big)
    page = web.get("caseworker", "/ho-so")
    assert page.text.count('<tr class="govuk-table__row">') == 21  # the header and 20 rows
    assert "26 hồ sơ" in page.text
