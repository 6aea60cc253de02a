"""No N+1: the dashboard, the escalation queue and an agency's task list read the same
number of statements whether the commune has a few cases or many (the issue's performance
target: these pages stay fast with 100,000 cases)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

import sqlalchemy as sa
from sqlmodel import select

from casework.cases.models import ProtectionCase, Task, TaskStatus
from casework.escalations import service as escalation_service
from casework.escalations.models import EscalationReason
from casework.intake import service as intake_service
from casework.intake.schemas import IntakeCreate
from tests.factories.browsing import browser
from tests.factories.intakes import intake_payload

PAGES = (
    ("supervisor", "/trang-cua-toi"),
    ("supervisor", "/trang-cua-toi?show=mine"),
    ("supervisor", "/trang-cua-toi?show=overdue"),
    ("caseworker", "/trang-cua-toi?show=emergency"),
    ("supervisor", "/leo-thang"),
    ("supervisor", "/leo-thang?reason=task_declined"),
    ("police.officer", "/nhiem-vu"),
    ("police.officer", "/trang-cua-toi"),
)


@contextmanager
def counting(connection: sa.Connection) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        statements.append(statement)

    sa.event.listen(connection.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        sa.event.remove(connection.engine, "before_cursor_execute", count)


def add_cases(session, world, now, tz, n: int) -> None:
    """``n`` more emergency cases of the commune, each with agency tasks in its queue."""
    for i in range(n):
        payload = intake_payload(
            commune_code=world.own.commune.code,
            harm_forms=["violence"],
            perpetrator_relation="parent",
            **{
                "child.full_name": f"Trẻ Thứ {i}",
                "child.date_of_birth": "2015-01-0" + str(1 + i % 9),
            },
        )
        result = intake_service.record_intake(
            session, data=IntakeCreate.model_validate_json(json.dumps(payload)), now=now, tz=tz
        )
        case = session.exec(
            select(ProtectionCase).where(ProtectionCase.code == result.case_code)
        ).one()
        task = session.exec(
            select(Task).where(Task.case_id == case.id, Task.status == TaskStatus.open)
        ).first()
        escalation_service.raise_(
            session,
            case=case,
            reason=EscalationReason.task_declined,
            task_id=task.id,
            now=now,
            tz=tz,
        )
    session.commit()


def statements_per_page(client, world, browser_for, connection) -> dict[str, int]:
    found = {}
    for who, path in PAGES:
        person = browser(client, browser_for, world.own.people[who])
        with counting(connection) as statements:
            answer = person.get(path)
        assert answer.status_code == 200, (path, answer.status_code)
        found[f"{who} {path}"] = len(statements)
    return found


# Each page: the session's user, its own reads (counts, one page of rows, what the rows
# need), then the audit entry (a transaction of its own). Measured: 11 to 14.
MOST = 15


def test_the_work_queues_read_a_fixed_number_of_statements(
    client, world, browser_for, connection, session, now, clock, databases
):
    add_cases(session, world, now, databases.settings.tz, 2)
    clock.set(now + timedelta(days=1))  # every clock overdue: the lists have rows
    few = statements_per_page(client, world, browser_for, connection)
    add_cases(session, world, now, databases.settings.tz, 20)
    many = statements_per_page(client, world, browser_for, connection)
    assert many == few
    assert max(few.values()) <= MOST, few
    overdue = browser(client, browser_for, world.own.people["supervisor"])
    assert overdue.get("/trang-cua-toi?show=overdue").text.count('href="/ho-so/') >= 20
