"""Reports owed, as workflow instances on the one engine: opening them when the calendar
says, and every step people take on them (submit, return, accept; consolidate, approve,
send), each fired as an event on the report's instance in the caller's transaction, so its
clock is met and its ladder stops.

How they open: the background tick (``casework.reports.tasks``) asks ``due_now`` which
obligations of which communes have reached their opening day (``lead_days`` before the due
day) and are not all open, and ``open_obligation`` opens what is missing: one report per
reporting agency, or the commune's own. Idempotent (one instance per definition, subject and
period key: a unique index), and it catches up a server that was down on the opening day,
until the due day.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from casework.accounts.models import Role
from casework.actors import Actor
from casework.agencies.models import Agency
from casework.cases import workflow
from casework.communes import service as commune_service
from casework.communes.models import Commune
from casework.deadlines import service as deadline_service
from casework.deadlines.service import NewClock
from casework.errors import Conflict, NotFound
from casework.processes import service as process_service
from casework.processes.models import WorkflowInstance
from casework.processes.registry import process_for
from casework.reports.models import PeriodicReport, ReportKind
from casework.reports.schedule import Obligation, due_at, for_commune
from casework.timefmt import local_date

DEFINITION = {
    ReportKind.agency: "agency_report",
    ReportKind.commune: "commune_report",
    ReportKind.adhoc: "adhoc_report",
}
CLOCK = DEFINITION  # each definition's one clock has its name


class ReportNotFound(NotFound):
    code = "report_not_found"


class ReportChanged(Conflict):
    """Someone changed the report since the page was opened: nothing of this was saved."""

    code = "report_changed"


def due_now(session: Session, *, now: datetime, tz: ZoneInfo) -> list[tuple[int, Obligation]]:
    """(commune, obligation) pairs whose opening day has come this year and whose due day
    has not passed."""
    today = local_date(now, tz)
    found = []
    for commune_id in session.exec(select(Commune.id).order_by(Commune.id)).all():
        for obligation in for_commune(session, commune_id=commune_id):
            if obligation.opens_on(today.year) <= today <= obligation.due_on(today.year):
                found.append((commune_id, obligation))
    return found


def start_report(
    session: Session,
    *,
    kind: ReportKind,
    commune_id: int,
    subject: tuple[str, int | None, str],
    report: PeriodicReport,
    now: datetime,
    tz: ZoneInfo,
) -> PeriodicReport:
    """The report's instance, its row and its clock (due at ``report.due_at``)."""
    name = DEFINITION[kind]
    subject_kind, subject_id, key = subject
    calendar = commune_service.working_calendar(session, commune_id=commune_id, tz=tz)
    instance = process_service.start(
        session,
        definition=name,
        commune_id=commune_id,
        subject_kind=subject_kind,
        subject_id=subject_id,
        subject_key=key,
        now=now,
        tz=tz,
        calendar=calendar,
    )
    report.instance_id = instance.id
    session.add(report)
    session.flush()
    process = process_for(name)
    engine = process.engine(process.version)
    spec = engine.definition.deadlines[CLOCK[kind]]
    clock = NewClock(instance.id, None, CLOCK[kind], spec.clock, spec.ladder, now, report.due_at)
    deadline_service.arm_many(session, engine=engine, clocks=[clock], now=now)
    return report


def open_obligation(
    session: Session,
    *,
    commune_id: int,
    obligation: Obligation,
    year: int,
    now: datetime,
    tz: ZoneInfo,
) -> list[PeriodicReport]:
    """Open what the obligation owes for ``year`` that is not open yet; the reports opened."""
    period = obligation.period_of(year)
    key = f"{obligation.key}:{year}"
    due = due_at(obligation.due_on(year), tz)
    have = select(WorkflowInstance.subject_id).where(
        WorkflowInstance.definition.in_(list(DEFINITION.values())),
        WorkflowInstance.commune_id == commune_id,
        WorkflowInstance.subject_key == key,
    )
    opened = []

    def new(kind: ReportKind, agency_id: int | None) -> PeriodicReport:
        return PeriodicReport(
            commune_id=commune_id,
            instance_id=0,
            kind=kind,
            obligation=obligation.key,
            year=year,
            period_first=period.first,
            period_last=period.last,
            agency_id=agency_id,
            title=f"{obligation.title[0]} {year}",
            recipient=obligation.to[0],
            due_at=due,
            opened_at=now,
        )

    if obligation.source == "agencies":
        agencies = session.exec(
            select(Agency.id)
            .where(
                Agency.commune_id == commune_id,
                Agency.is_active,
                Agency.kind.in_([k.value for k in obligation.kinds]),
                Agency.id.not_in(have),
            )
            .order_by(Agency.id)
        ).all()
        for agency_id in agencies:
            report = new(ReportKind.agency, agency_id)
            subject = ("agency", agency_id, key)
            opened.append(
                start_report(
                    session, kind=ReportKind.agency, commune_id=commune_id,
                    subject=subject, report=report, now=now, tz=tz,
                )
            )  # fmt: skip
    elif commune_id not in session.exec(have).all():
        report = new(ReportKind.commune, None)
        subject = ("commune", commune_id, key)
        opened.append(
            start_report(
                    session, kind=ReportKind.commune, commune_id=commune_id,
                    subject=subject, report=report, now=now, tz=tz,
                )
        )  # fmt: skip
    return opened


def expect(report: PeriodicReport, version: int) -> None:
    """The report is still as the person saw it (``version``), before anything is changed."""
    if report.version != version:
        raise ReportChanged(report_id=report.id)


def fire(
    session: Session, *, report: PeriodicReport, event: str, now: datetime, tz: ZoneInfo
) -> None:
    """``event`` on the report's instance; its clock is met when the event meets it."""
    instance = session.get_one(WorkflowInstance, report.instance_id)
    process_service.fire(
        session,
        instance_id=instance.id,
        event=event,
        expected_state=str(instance.state),
        expected_version=instance.version,
        now=now,
        tz=tz,
    )
    session.add(report)
    session.flush()


def state_of(session: Session, report: PeriodicReport) -> str:
    return str(session.get_one(WorkflowInstance, report.instance_id).state)


def visible(actor: Actor) -> sa.ColumnElement[bool]:
    """Condition on ``PeriodicReport``: an agency's people see their agency's reports; the
    commune's caseworkers and supervisor all of the commune's."""
    if actor.role in {Role.caseworker, Role.supervisor}:
        return PeriodicReport.commune_id == actor.commune_id
    if actor.agency_id is not None:
        return sa.and_(
            PeriodicReport.commune_id == actor.commune_id,
            PeriodicReport.agency_id == actor.agency_id,
        )
    return sa.false()


def state_words() -> dict[str, tuple[str, str]]:
    """Each report state in words (Vietnamese, English), from the definitions."""
    found = {}
    for name in DEFINITION.values():
        for state, spec in workflow.latest(name).states.items():
            found[state] = (spec.vi, spec.en)
    return found
