"""The demo commune (xã Châu Sơn) is realistic, coherent with the services, and seeded once."""

from __future__ import annotations

import unicodedata
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from sqlmodel import Session, SQLModel, select

import casework.models  # noqa: F401  (every table in the metadata)
from casework import text
from casework.accounts.models import Role, User
from casework.agencies.models import Agency, AgencyKind
from casework.cases import workflow
from casework.cases.models import CaseEvent, CaseStatus, ProtectionCase, Task, TaskStatus
from casework.cases.service import CAREGIVING_PERPETRATORS
from casework.children import service as child_service
from casework.children.models import Caregiver, Child
from casework.children.personal_id import PersonalId
from casework.communes.models import Commune, Village
from casework.deadlines.models import CaseDeadline, DeadlineStatus, DeadlineTimer, TimerStatus
from casework.demo.seed import DEMO_COMMUNE_CODE, DEMO_USERS, seed_demo
from casework.escalations import listing as escalation_listing
from casework.escalations.models import Escalation, EscalationReason, EscalationStatus
from casework.intake.models import HarmForm, Report, ReportHarmForm
from casework.phones import to_e164
from casework.timefmt import age_on, local_date

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
CORE_AGENCIES = {
    AgencyKind.culture_social,
    AgencyKind.police,
    AgencyKind.health_station,
    AgencyKind.justice,
    AgencyKind.womens_union,
    AgencyKind.youth_union,
    AgencyKind.red_cross,
    AgencyKind.economic_office,
    AgencyKind.public_service_center,
    AgencyKind.hotline_111,
    AgencyKind.provincial_health_department,
}


@pytest.fixture
def demo(session, now):
    return seed_demo(session, now=now, tz=TZ)


def _all(session: Session, model):  # type: ignore[no-untyped-def]
    return session.exec(select(model)).all()


def _cases_by_harm(session: Session, form: HarmForm) -> list[ProtectionCase]:
    return session.exec(
        select(ProtectionCase)
        .join(Report, Report.case_id == ProtectionCase.id)
        .join(ReportHarmForm, ReportHarmForm.report_id == Report.id)
        .where(ReportHarmForm.form == form)
        .distinct()
    ).all()


def test_demo_commune_is_chau_son_in_lang_son_with_its_villages(session, demo):
    commune = session.exec(select(Commune).where(Commune.code == DEMO_COMMUNE_CODE)).one()
    assert (commune.name, commune.province, commune.case_prefix) == (
        "Xã Châu Sơn",
        "Lạng Sơn",
        "CS",
    )
    villages = session.exec(select(Village).where(Village.commune_id == commune.id)).all()
    assert 8 <= len(villages) <= 10
    for village in villages:
        assert village.name.startswith("Thôn ")
        assert village.name_key == text.fold(village.name)
    assert demo.created
    assert (demo.commune_code, demo.children, demo.cases, demo.users) == (
        DEMO_COMMUNE_CODE,
        33,  # 31 of the cases and the register, 2 typed in from a paper list (Đề án 06)
        19,
        len(DEMO_USERS) - 1,  # the province's administrator belongs to no commune
    )


def test_demo_commune_has_every_role_and_the_core_agencies(session, demo):
    users = _all(session, User)
    agencies = {agency.id: agency for agency in _all(session, Agency)}
    assert {user.role for user in users} == set(Role)
    assert {(u.username, u.full_name, u.role) for u in users} == {
        (person.username, person.full_name, person.role) for person in DEMO_USERS
    }
    kinds = [agency.kind for agency in agencies.values()]
    assert set(kinds) >= CORE_AGENCIES
    assert 2 <= kinds.count(AgencyKind.school) <= 3
    village_boards = [a for a in agencies.values() if a.kind == AgencyKind.village]
    assert 2 <= len(village_boards) <= 3
    assert all(board.village_id is not None for board in village_boards)
    heads = {agencies[u.agency_id].kind for u in users if u.role == Role.agency_head}
    officers = {agencies[u.agency_id].kind for u in users if u.role == Role.agency_officer}
    assert heads >= {AgencyKind.police, AgencyKind.health_station}
    assert officers >= {AgencyKind.police, AgencyKind.health_station, AgencyKind.school}
    caseworkers = [u for u in users if u.role == Role.caseworker]
    assert caseworkers
    assert all(agencies[u.agency_id].kind == AgencyKind.culture_social for u in caseworkers)


def test_demo_cases_cover_every_workflow_status(session, demo):
    cases = _all(session, ProtectionCase)
    assert {case.status for case in cases} == set(CaseStatus)
    assert 15 <= len(cases) <= 20
    for case in cases:
        if case.status == CaseStatus.closed:
            assert case.closed_at is not None
            assert case.closure_reason
        else:
            assert case.closed_at is None
        assert (case.assigned_caseworker_id is None) == (case.status == CaseStatus.received)
        assessed = case.status not in {CaseStatus.received, CaseStatus.assessing}
        assert (case.risk_level is not None) == assessed


def test_demo_case_histories_move_forward_and_end_in_the_case_status(session, demo, now):
    cases = _all(session, ProtectionCase)
    assert len(cases) == demo.cases
    stepped = 0
    for case in cases:
        events = session.exec(
            select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)
        ).all()
        assert events, case.code
        times = [event.at for event in events]
        assert times == sorted(times), case.code
        # The ladder steps that fell due were fired at the seeding, as the ticker would have.
        steps = [event for event in events if event.event == "deadline_step"]
        assert all(step.at == now and step.actor_id is None for step in steps), case.code
        stepped += len(steps)
        lived = [event.at for event in events if event.event != "deadline_step"]
        assert case.opened_at == lived[0] < now
        assert case.updated_at == lived[-1] < now
        status = None
        for event in events:
            if event.to_status is None:
                continue
            assert event.from_status == status, (case.code, event.event)
            status = event.to_status
        assert status == case.status, case.code
    assert stepped > 0  # some ladder steps fell due while the demo's cases were lived


def test_seeding_twice_changes_nothing(session, demo, now):
    def row_counts() -> dict[str, int]:
        return {
            table.name: session.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            for table in SQLModel.metadata.sorted_tables
        }

    before = row_counts()
    again = seed_demo(session, now=now + timedelta(days=30), tz=TZ)
    assert row_counts() == before
    assert not again.created
    assert (again.commune_code, again.children, again.cases, again.users) == (
        demo.commune_code,
        demo.children,
        demo.cases,
        demo.users,
    )


def test_the_same_now_gives_the_same_demo(session, now):
    def snapshot() -> list[tuple[object, ...]]:
        rows = session.execute(
            sa.select(
                ProtectionCase.code,
                ProtectionCase.status,
                ProtectionCase.updated_at,
                Child.full_name,
                Child.personal_id,
                Child.date_of_birth,
                Child.birth_year,
            )
            .join(Child, Child.id == ProtectionCase.child_id)
            .order_by(ProtectionCase.code)
        ).all()
        return [tuple(row) for row in rows]

    seed_demo(session, now=now, tz=TZ)
    first = snapshot()
    session.rollback()
    seed_demo(session, now=now, tz=TZ)
    assert snapshot() == first


@pytest.mark.parametrize("years_later", [0, 3])
def test_demo_is_fresh_whenever_it_is_seeded(session, now, years_later):
    seeded_at = now + timedelta(days=365 * years_later)
    seed_demo(session, now=seeded_at, tz=TZ)
    today = local_date(seeded_at, TZ)
    children = _all(session, Child)
    assert len(children) == 33
    for child in children:
        age = (
            age_on(child.date_of_birth, today)
            if child.date_of_birth
            else today.year - child.birth_year
        )
        assert 0 <= age <= 17, child.full_name
        assert child.created_at <= seeded_at
    received = sorted(report.first_received_at for report in _all(session, Report))
    assert seeded_at - received[0] < timedelta(days=365)
    assert timedelta(0) < seeded_at - received[-1] < timedelta(days=1)
    tasks = _all(session, Task)
    done = [task for task in tasks if task.done_at]
    assert done
    assert all(task.created_at < seeded_at for task in tasks)
    assert all(task.done_at < seeded_at for task in done)


def test_demo_personal_ids_agree_with_sex_and_birth_year(session, demo):
    children = [child for child in _all(session, Child) if child.personal_id]
    assert len(children) >= 10
    for child in children:
        pid = PersonalId(child.personal_id)
        assert child.personal_id[:3] == "020", child.full_name  # Lạng Sơn
        assert pid.sex == child.sex, child.full_name
        assert pid.birth_year == child.birth_year, child.full_name
    assert any(child.date_of_birth is None for child in _all(session, Child))


def test_demo_phone_numbers_are_valid_vietnamese_numbers(session, demo):
    phones = [
        *(agency.phone for agency in _all(session, Agency)),
        *(user.phone for user in _all(session, User)),
        *(caregiver.phone for caregiver in _all(session, Caregiver)),
        *(report.reporter_phone for report in _all(session, Report)),
    ]
    given = [phone for phone in phones if phone is not None]
    assert len(given) > 40
    for phone in given:
        assert phone.startswith("+84")
        assert to_e164(phone) == phone


def test_demo_emails_use_the_reserved_example_domain(session, demo):
    emails = [a.email for a in _all(session, Agency)] + [u.email for u in _all(session, User)]
    given = [email for email in emails if email]
    assert len(given) > 10
    assert all(email.endswith("@example.org") for email in given)


def test_demo_names_are_nfc_vietnamese(session, demo):
    names = [child.full_name for child in _all(session, Child)]
    names += [user.full_name for user in _all(session, User)]
    names += [caregiver.full_name for caregiver in _all(session, Caregiver)]
    assert all(unicodedata.is_normalized("NFC", name) for name in names)
    ethnicities = {child.ethnicity for child in _all(session, Child)}
    assert {"Kinh", "Tày", "Nùng"} <= ethnicities


def test_demo_has_a_possible_duplicate_pair(session, demo):
    pairs = [
        (child, duplicate)
        for child in _all(session, Child)
        for duplicate in child_service.possible_duplicates(session, child=child)
    ]
    assert pairs
    child, duplicate = pairs[0]
    other = session.get_one(Child, duplicate.id)
    assert (child.full_name, child.birth_year, child.village_id) == (
        other.full_name,
        other.birth_year,
        other.village_id,
    )
    assert {child.date_of_birth is None, other.date_of_birth is None} == {True, False}


def test_parent_perpetrator_cases_in_demo_are_emergencies(session, demo):
    cases = session.exec(
        select(ProtectionCase)
        .join(Report, Report.case_id == ProtectionCase.id)
        .where(Report.perpetrator_relation.in_(CAREGIVING_PERPETRATORS))
        .distinct()
    ).all()
    assert len(cases) >= 3
    for case in cases:
        assert case.is_emergency, case.code
        if case.status not in {CaseStatus.received, CaseStatus.assessing}:
            went_through = session.exec(
                select(CaseEvent).where(
                    CaseEvent.case_id == case.id, CaseEvent.to_status == CaseStatus.emergency
                )
            ).all()
            assert went_through, case.code


def test_demo_emergency_measures_come_within_twelve_hours(session, demo):
    measures = session.exec(
        select(CaseEvent).where(CaseEvent.event == "record_emergency_measures")
    ).all()
    assert len(measures) >= 2
    for event in measures:
        first = session.exec(
            select(sa.func.min(Report.first_received_at)).where(Report.case_id == event.case_id)
        ).one()
        assert event.at - first <= timedelta(hours=12)


def test_demo_tasks_are_routed_to_the_right_agencies(session, demo):
    def agency_kinds(case: ProtectionCase) -> set[AgencyKind]:
        rows = session.exec(
            select(Agency.kind)
            .join(Task, Task.agency_id == Agency.id)
            .where(Task.case_id == case.id)
        ).all()
        return set(rows)

    sexual_abuse = _cases_by_harm(session, HarmForm.sexual_abuse)
    assert sexual_abuse
    for case in sexual_abuse:
        expected = {AgencyKind.police, AgencyKind.health_station, AgencyKind.culture_social}
        assert expected <= agency_kinds(case)
    abandonment = [
        kinds
        for case in _cases_by_harm(session, HarmForm.abandonment_neglect)
        if AgencyKind.justice in (kinds := agency_kinds(case))
    ]
    assert abandonment
    assert {AgencyKind.health_station, AgencyKind.police} <= abandonment[0]
    drowning = set().union(*map(agency_kinds, _cases_by_harm(session, HarmForm.injury_drowning)))
    assert {AgencyKind.health_station, AgencyKind.economic_office} <= drowning


def test_demo_tasks_show_every_kind_of_progress(session, demo, now):
    tasks = _all(session, Task)
    statuses = {task.status for task in tasks}
    assert {TaskStatus.open, TaskStatus.accepted, TaskStatus.done, TaskStatus.declined} <= statuses
    overdue = [
        t for t in tasks if t.status in {TaskStatus.open, TaskStatus.accepted} and t.due_at < now
    ]
    assert len(overdue) >= 2
    assert all(task.outcome_note for task in tasks if task.status == TaskStatus.declined)
    for task in tasks:
        assert task.starts_at < task.due_at
        unanswered = task.status in {TaskStatus.open, TaskStatus.planned}
        assert (task.acknowledged_at is None) == unanswered
        assert (task.done_at is None) == (task.status != TaskStatus.done)
        if task.done_at is not None:
            assert task.acknowledged_at <= task.done_at <= task.due_at
    planned = [task for task in tasks if task.status == TaskStatus.planned]
    assert planned  # the plans awaiting the chairperson's approval
    assert all(task.kind == "plan.activity" for task in planned)
    with_tasks = {task.case_id for task in tasks}
    needs_tasks = [
        case
        for case in _all(session, ProtectionCase)
        if case.status
        in {
            CaseStatus.emergency,
            CaseStatus.awaiting_approval,
            CaseStatus.intervention,
            CaseStatus.monitoring,
        }
    ]
    assert all(case.id in with_tasks for case in needs_tasks)


def test_demo_reports_use_several_channels_and_some_are_anonymous(session, demo):
    reports = _all(session, Report)
    assert len({report.channel for report in reports}) >= 6
    anonymous = [report for report in reports if report.reporter_anonymous]
    assert anonymous
    assert all(r.reporter_name is None and r.reporter_phone is None for r in anonymous)
    assert len(reports) > len(_all(session, ProtectionCase))  # a follow-up joined a case


def _running(session: Session, *conditions) -> list[CaseDeadline]:  # type: ignore[no-untyped-def]
    return session.exec(
        select(CaseDeadline).where(CaseDeadline.status == DeadlineStatus.running, *conditions)
    ).all()


def test_closed_demo_cases_have_no_running_clock(session, demo):
    closed = [case.id for case in _all(session, ProtectionCase) if case.status == "closed"]
    assert len(closed) >= 2
    assert _running(session, CaseDeadline.case_id.in_(closed)) == []
    pending = session.exec(
        select(DeadlineTimer)
        .join(CaseDeadline, CaseDeadline.id == DeadlineTimer.deadline_id)
        .where(CaseDeadline.case_id.in_(closed), DeadlineTimer.status == TimerStatus.pending)
    ).all()
    assert pending == []
    kinds = set(session.exec(select(CaseDeadline.kind).where(CaseDeadline.case_id.in_(closed))))
    assert {"initial_assessment", "plan_draft", "plan_approval", "monitoring_visit"} <= kinds


def test_every_demo_task_has_its_clocks(session, demo):
    expected = {
        TaskStatus.open: {"task_ack", "task_due"},
        TaskStatus.accepted: {"task_due"},
        TaskStatus.done: set(),
        TaskStatus.declined: set(),
        TaskStatus.planned: set(),
    }
    tasks = _all(session, Task)
    assert {task.status for task in tasks} >= set(expected)  # every branch below is met
    for task in tasks:
        running = {d.kind for d in _running(session, CaseDeadline.task_id == task.id)}
        assert running == expected[TaskStatus(task.status)], (task.kind, task.status)
        clocks = session.exec(select(CaseDeadline).where(CaseDeadline.task_id == task.id)).all()
        if task.status == TaskStatus.planned:
            assert clocks == []  # agencies see a plan's tasks once it is approved
        if task.status == TaskStatus.done:  # the agencies were on time
            assert {(d.kind, d.status) for d in clocks} == {
                ("task_ack", DeadlineStatus.met),
                ("task_due", DeadlineStatus.met),
            }


def test_demo_clocks_were_mostly_met_and_none_is_left_due(session, demo, now):
    closed = session.exec(
        select(CaseDeadline.status).where(CaseDeadline.status != DeadlineStatus.running)
    ).all()
    assert closed.count(DeadlineStatus.missed) <= len(closed) // 10
    assert closed.count(DeadlineStatus.met) > 50
    kinds = {d.kind for d in _running(session)}
    assert {"initial_assessment", "emergency_measures", "plan_draft", "plan_approval"} <= kinds
    assert {"separation_review", "monitoring_visit", "task_ack", "task_due"} <= kinds
    due = session.exec(
        select(DeadlineTimer).where(
            DeadlineTimer.status == TimerStatus.pending, DeadlineTimer.fires_at <= now
        )
    ).all()
    assert due == []  # the ticker finds nothing to catch up on when the demo starts


def test_demo_escalation_queue_is_short_and_real(session, demo, now):
    escalations = _all(session, Escalation)
    assert all(e.status == EscalationStatus.open for e in escalations)
    queue = escalation_listing.queue(
        session, commune_code=DEMO_COMMUNE_CODE, include_acknowledged=True, now=now, tz=TZ
    )
    assert 2 <= len(queue) <= 8
    assert len(queue) == len(escalations)
    for escalation in escalations:
        if escalation.reason == EscalationReason.task_declined:
            task = session.get_one(Task, escalation.task_id)
            assert task.status == TaskStatus.declined
            assert task.outcome_note
            continue
        deadline = session.get_one(CaseDeadline, escalation.deadline_id)
        assert deadline.status == DeadlineStatus.running
        assert deadline.due_at < now
        assert deadline.task_id == escalation.task_id
        assert deadline.ladder_step == "escalate"
    reasons = {escalation.reason for escalation in escalations}
    assert {EscalationReason.deadline_overdue, EscalationReason.task_declined} <= reasons
    assert reasons & {EscalationReason.task_overdue, EscalationReason.task_not_accepted}


def test_demo_history_comes_from_the_workflow(session, demo):
    users = {user.id: user for user in _all(session, User)}
    supervisor_events = {"approve_plan", "reject_plan", "close", "record_separation"}
    seen = set()
    for case in _all(session, ProtectionCase):
        definition = workflow.engine_for(case.workflow_name, case.workflow_version).definition
        allowed = {
            (t.event, source, t.dest or source)
            for t in definition.transitions
            for source in t.sources
        }
        events = session.exec(
            select(CaseEvent)
            .where(CaseEvent.case_id == case.id, CaseEvent.to_status.is_not(None))
            .order_by(CaseEvent.id)
        ).all()
        assert (events[0].event, events[0].from_status) == ("receive", None), case.code
        for event in events[1:]:
            assert (event.event, event.from_status, event.to_status) in allowed, case.code
            role = users[event.actor_id].role
            if event.event in supervisor_events:
                assert role == Role.supervisor, (case.code, event.event)
            else:
                assert role == Role.caseworker, (case.code, event.event)
                assert event.actor_id == case.assigned_caseworker_id, (case.code, event.event)
            seen.add(event.event)
    assert {
        "record_separation",
        "start_alternative_care",
        "reject_plan",
        "record_followup",
        "close",
    } <= seen
