"""A case as an agency with a task on it reads it: what its tasks need, whom to call.

Need-to-know (NĐ56 Đ33) means what the task needs, not the least possible: the workflow
definition's ``agency_facts`` names, per task kind (or per agency, for a kind it does not
list), which facts of the reports and of the child the agency sees
(``casework.authz.policy.agency_facts``). Only those columns are read, so a narrative the
task does not need is never even decrypted. Every agency also sees the child's name, age
and village, and the caseworker to call; never the reporter, the history or another
agency's work.
"""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from casework.accounts.models import Role, User
from casework.actors import Actor
from casework.authz import policy, scopes
from casework.authz.policy import Fact
from casework.base import label
from casework.cases import service as case_service
from casework.cases.models import CaseStatus, ProtectionCase
from casework.cases.schemas import (
    AgencyCaseRead,
    AgencyReportRead,
    CaregiverBrief,
    ChildBrief,
    ContactRead,
    TaskRead,
)
from casework.children.models import Caregiver, Child
from casework.communes.models import Village
from casework.intake.models import Report, ReportHarmForm
from casework.timefmt import age_on, to_local
from workflows.definition import Definition

# Which report column each fact reads, and the field of ``AgencyReportRead`` it fills.
_REPORT_FACTS: dict[Fact, tuple[str, Any]] = {
    Fact.received_at: ("first_received_at", Report.first_received_at),
    Fact.place: ("location", Report.location),
    Fact.incident_summary: ("description", Report.description),
    Fact.setting: ("setting", Report.setting),
    Fact.suspected_relation: ("perpetrator_relation", Report.perpetrator_relation),
    Fact.immediate_danger: ("immediate_danger", Report.immediate_danger),
    Fact.child_state: ("child_state", Report.child_state),
}


def read_for_agency(
    session: Session,
    *,
    case: ProtectionCase,
    actor: Actor,
    definition: Definition,
    now: datetime,
    tz: ZoneInfo,
    task_id: int | None = None,
) -> AgencyCaseRead:
    """The case as the person's agency sees it: the facts of all its live tasks on the
    case, or of one of them (``task_id``: the task's own page), and those tasks."""
    tasks = case_service.task_reads(session, case.id, tz, scope=scopes.own_agency_tasks(actor))
    needed = tasks if task_id is None else [t for t in tasks if t.id == task_id]
    facts = policy.agency_facts(definition, [(t.kind, t.agency_kind.value) for t in needed])
    return AgencyCaseRead(
        code=case.code,
        status=case.status,
        status_label=label(CaseStatus(case.status)),
        is_emergency=case.is_emergency,
        child=_child(session, case=case, facts=facts, now=now, tz=tz),
        facts=sorted(facts),
        reports=_reports(session, case_id=case.id, facts=facts, tz=tz),
        contacts=contacts(session, case=case),
        tasks=tasks,
    )


def own_task(read: AgencyCaseRead, task_id: int) -> TaskRead:
    return next(task for task in read.tasks if task.id == task_id)


def _child(
    session: Session, *, case: ProtectionCase, facts: frozenset[Fact], now: datetime, tz: ZoneInfo
) -> ChildBrief:
    child = session.get_one(Child, case.child_id)
    village = session.get(Village, child.village_id) if child.village_id else None
    today = to_local(now, tz).date()
    age = (
        age_on(child.date_of_birth, today) if child.date_of_birth else today.year - child.birth_year
    )
    shown: dict[str, Any] = {}
    if Fact.child_sex in facts:
        shown["sex"] = child.sex
    if Fact.child_address in facts:
        shown["address"] = child.address
    if Fact.child_school in facts:
        shown["school_name"], shown["grade"] = child.school_name, child.grade
    if Fact.caregivers in facts:
        carers = session.exec(
            select(Caregiver).where(Caregiver.child_id == child.id).order_by(Caregiver.id)
        ).all()
        shown["caregivers"] = [
            CaregiverBrief(full_name=c.full_name, relation=c.relation, phone=c.phone)
            for c in carers
        ]
    return ChildBrief(
        full_name=child.full_name, age=age, village=village.name if village else None, **shown
    )


def _reports(
    session: Session, *, case_id: int, facts: frozenset[Fact], tz: ZoneInfo
) -> list[AgencyReportRead]:
    """Each report with only the shown facts' columns read (nothing else is decrypted)."""
    wanted = [(field, column) for fact, (field, column) in _REPORT_FACTS.items() if fact in facts]
    if not wanted and Fact.harm_forms not in facts:
        return []
    rows = session.execute(
        sa.select(Report.id, Report.reporter_name, Report.reporter_phone)
        .add_columns(*(column for _, column in wanted))
        .where(Report.case_id == case_id)
        .order_by(Report.first_received_at, Report.id)
    ).all()
    forms: dict[int, list[Any]] = defaultdict(list)
    if Fact.harm_forms in facts:
        for report_id, form in session.execute(
            sa.select(ReportHarmForm.report_id, ReportHarmForm.form).where(
                ReportHarmForm.report_id.in_([row[0] for row in rows])
            )
        ).all():
            forms[report_id].append(form)
    reports = []
    for report_id, reporter_name, reporter_phone, *values in rows:
        fields = {field: value for (field, _), value in zip(wanted, values, strict=True)}
        for narrative in NARRATIVES & fields.keys():
            fields[narrative] = without_reporter(fields[narrative], reporter_name, reporter_phone)
        if fields.get("first_received_at") is not None:
            fields["first_received_at"] = to_local(fields["first_received_at"], tz)
        if Fact.harm_forms in facts:
            fields["harm_forms"] = sorted(forms[report_id])
        reports.append(AgencyReportRead(**fields))
    return reports


NARRATIVES = frozenset({"description", "child_state"})
WITHHELD = "[người báo tin]"


def without_reporter(text: str | None, name: str | None, phone: str | None) -> str | None:
    """A narrative with the reporter's name and phone number taken out (NĐ56 Đ24): the
    commune writes it from the reporter's own words, and they may name themselves."""
    if not text:
        return text
    patterns = []
    if name and name.split():
        patterns.append(r"\s+".join(re.escape(part) for part in name.split()))
    if phone and phone.startswith("+84") and phone[3:].isdigit():
        patterns.append(r"(?:\+\s?84|0)\s?" + r"[\s.\-]?".join(phone[3:]))
    for pattern in patterns:
        text = re.sub(pattern, WITHHELD, text, flags=re.IGNORECASE)
    return text


def contacts(session: Session, *, case: ProtectionCase) -> list[ContactRead]:
    """Whom the agency calls: the case's own caseworker, or while nobody is assigned (or
    theirs is no longer an active account) the commune's caseworkers."""
    if case.assigned_caseworker_id is not None:
        owner = session.get(User, case.assigned_caseworker_id)
        if owner is not None and owner.is_active:
            return [ContactRead(full_name=owner.full_name, phone=owner.phone, assigned=True)]
    people = session.exec(
        select(User)
        .where(
            User.commune_id == case.commune_id,
            User.role == Role.caseworker,
            User.is_active == sa.true(),
        )
        .order_by(User.full_name, User.id)
    ).all()
    return [
        ContactRead(full_name=person.full_name, phone=person.phone, assigned=False)
        for person in people
    ]
