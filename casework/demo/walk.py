"""Living a demo case again: its events fired through the real workflow at their past
times, by the person who would fire them, agencies answering their tasks, and the ladder
steps already due fired as the ticker would have fired them."""

from __future__ import annotations

import heapq
import itertools
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import partial
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from casework.accounts.models import Role, User
from casework.actors import Actor
from casework.agencies import service as agency_service
from casework.agencies.directory import AgencyRow
from casework.agencies.models import Agency
from casework.cases import assignment, flow
from casework.cases import events as ev
from casework.cases import service as case_service
from casework.cases.emergency import Answer, EmergencyMeasure, MeasureKind
from casework.cases.models import (
    PLAN_ACTIVITY,
    CaseStatus,
    ProtectionCase,
    ProtectionLevel,
    RiskLevel,
    Task,
)
from casework.cases.models import TaskStatus as TS
from casework.cases.service import CAREGIVING_PERPETRATORS
from casework.children.models import Child, Sex
from casework.children.schemas import CaregiverIn, ChildCreate, CircumstanceIn
from casework.communes.models import Commune, Village
from casework.deadlines import runner
from casework.deadlines.models import CaseDeadline
from casework.demo import data
from casework.demo.data import CaseSpec, ChildSpec, TaskSpec
from casework.intake import service as intake_service
from casework.intake.models import Channel
from casework.intake.schemas import IntakeCreate, ReporterIn
from casework.tasks import service as task_service
from casework.timefmt import local_date

S = CaseStatus
# The workflow's main line: each event and the state it leads to (an assessed emergency
# goes to "emergency" first, then to "planning" once the emergency measures are recorded).
MAIN_LINE = (("start_assessment", S.assessing), ("complete_assessment", S.planning),
             ("record_emergency_measures", S.planning), ("submit_plan", S.awaiting_approval),
             ("approve_plan", S.intervention), ("start_monitoring", S.monitoring),
             ("start_review", S.review), ("close", S.closed))  # fmt: skip
# Typical hours from one event to the next, well within the legal clocks: the assessment
# within 12 hours of the report, emergency measures within 12 hours, the plan within 5
# working days and its approval within 2.
STEP_HOURS = {"start_assessment": 1.5, "complete_assessment": 6, "record_separation": 1.5,
              "start_alternative_care": 1.5, "record_emergency_measures": 4, "submit_plan": 60,
              "reject_plan": 18, "approve_plan": 28, "start_monitoring": 21 * 24,
              "start_review": 45 * 24, "close": 7 * 24}  # fmt: skip
EMERGENCY_STEP_HOURS = {"start_assessment": 0.5, "complete_assessment": 2.5}
VISIT_EVERY = timedelta(days=25)  # monitoring visits, before the 30-day clock runs out
FIRST_VISIT = timedelta(days=27)  # the date the chairperson sets for the first visit
DAY = timedelta(days=1)
QUIET_BEFORE_NOW = timedelta(minutes=30)  # nothing happened in the last half hour
# Minutes between the first receipt (e.g. the 111 call) and the commune recording it.
FORWARDING_MINUTES = {Channel.hotline_111: (25, 50), Channel.provincial_hotline: (25, 50)}
SUPERVISOR_EVENTS = frozenset({"record_separation", "approve_plan", "reject_plan", "close"})
# Done in office hours; the first steps of a report happen at any hour, as reports come.
DESK_EVENTS = frozenset({"submit_plan", "approve_plan", "reject_plan", "start_monitoring",
                         "record_followup", "start_review", "close"})  # fmt: skip
TIMER_WORKER = "seed"


@dataclass
class Demo:
    session: Session
    commune: Commune
    now: datetime
    tz: ZoneInfo
    rng: random.Random
    villages: dict[str, Village]
    agencies: list[Agency]
    users: dict[str, User]


def _minutes(delta: timedelta) -> timedelta:
    """Whole minutes, at least one, never more than ``delta`` (an answer due stays on time)."""
    return timedelta(minutes=max(1, int(delta / timedelta(minutes=1))))


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _school(age: int) -> tuple[str | None, str | None]:
    if age < 3:
        return None, None
    if age < 6:
        return data.KINDERGARTEN, "Mẫu giáo"
    school = (
        data.PRIMARY if age <= 10 else data.LOWER_SECONDARY if age <= 14 else data.UPPER_SECONDARY
    )
    return school, str(age - 5)


def _personal_id(demo: Demo, *, sex: Sex, year: int) -> str:
    """PPPGYYSSSSSS: Lạng Sơn's code 020, century-and-sex digit, year, a random serial."""
    century_sex = 2 * ((year - 1900) // 100) + (1 if sex == Sex.female else 0)
    return f"020{century_sex}{year % 100:02d}{demo.rng.randrange(1, 10**6):06d}"


def child_input(
    demo: Demo, spec: ChildSpec, *, on: date, same_year_as: Child | None = None
) -> ChildCreate:
    """The details of a child ``spec.age`` years old on ``on``, as an intake form holds them."""
    if spec.age == 0 and not spec.dob:
        born = on - timedelta(days=2)  # a foundling a few days old
    else:
        born = _years_before(on, spec.age) - timedelta(days=demo.rng.randint(1, 330))
    year = same_year_as.birth_year if same_year_as is not None else born.year
    school, grade = _school(spec.age) if spec.in_school else (None, None)
    return ChildCreate(
        full_name=spec.full_name,
        personal_id=_personal_id(demo, sex=spec.sex, year=year) if spec.pid else None,
        date_of_birth=born if spec.dob else None,
        birth_year_estimate=None if spec.dob else year,
        sex=spec.sex,
        ethnicity=spec.ethnicity,
        village=spec.village,
        school_name=school,
        grade=grade,
        disability_level=spec.disability,
        poverty_status=spec.poverty,
        caregivers=[
            CaregiverIn(full_name=name, relation=relation, phone=phone)
            for name, relation, phone in spec.carers
        ],
        circumstances=[
            CircumstanceIn(group=group, subgroup=sub, since=max(on - timedelta(days=days), born))
            for group, sub, days in spec.groups
        ],
    )


def _reporter(reporter: tuple[str, str | None, str] | None) -> ReporterIn:
    if reporter is None:
        return ReporterIn(anonymous=True)
    name, phone, relation = reporter
    return ReporterIn(name=name, phone=phone, relation=relation)


def open_and_walk(demo: Demo, spec: CaseSpec, children: dict[str, Child]) -> None:
    """Record the report through the intake service, then live the case's days again:
    its events, its agencies' answers and any later report, in the order they happened."""
    received = demo.now - timedelta(hours=spec.hours_ago)
    caseworker = demo.users[spec.caseworker]
    if isinstance(spec.child, ChildSpec):
        same = children.get(spec.child.likely_same_as or "")
        on = local_date(received, demo.tz)
        child = {"child": child_input(demo, spec.child, on=on, same_year_as=same)}
    else:
        child = {"child_id": children[spec.child].id}
    recorded = _recorded(demo, spec.channel, received)
    code = _record(demo, spec, now=recorded, received=received, by=caseworker, **child)
    case = case_service.get_by_code(demo.session, code=code)
    times = _schedule(demo, spec, emergency=case.is_emergency, recorded=recorded)
    walk = _Walk(demo, spec, case, caseworker, times)
    if spec.follow_up is not None:  # a second report about the child joins the open case
        hours, channel, reporter, description = spec.follow_up
        again = received + timedelta(hours=hours)
        fields = {"channel": channel, "reporter": _reporter(reporter), "child_state": None,
                  "description": description, "child_id": case.child_id}  # fmt: skip
        walk.add(_recorded(demo, channel, again), partial(
            _record, demo, spec, received=again, by=caseworker, **fields
        ))  # fmt: skip
    for event, at in times:
        walk.add(at, partial(walk.fire, event))
    walk.answer_tasks(started=recorded, statuses=dict(spec.routed))  # routed at intake
    walk.run()


def _recorded(demo: Demo, channel: Channel, received: datetime) -> datetime:
    """When the commune records a report first received (e.g. by 111) at ``received``."""
    low, high = FORWARDING_MINUTES.get(channel, (5, 20))
    return received + timedelta(minutes=demo.rng.randint(low, high))


def _record(
    demo: Demo, spec: CaseSpec, *, now: datetime, received: datetime, by: User, **fields: Any
) -> str:
    """One report through the real intake service; returns the case code."""
    fields = {
        "commune_code": demo.commune.code, "channel": spec.channel,
        "first_received_at": received, "reporter": _reporter(spec.reporter),
        "location": spec.location, "description": spec.description,
        "harm_forms": list(spec.harm), "setting": spec.setting,
        "perpetrator_relation": spec.perpetrator, "child_state": spec.child_state,
        "immediate_danger": spec.danger,
    } | fields  # fmt: skip
    result = intake_service.record_intake(
        demo.session, data=IntakeCreate(**fields), now=now, tz=demo.tz, recorded_by_id=by.id
    )
    return result.case_code


def _events(spec: CaseSpec, emergency: bool) -> list[str]:
    """The events that take the case from ``received`` to ``spec.status``."""
    target = S.awaiting_approval if spec.rejection else spec.status
    events: list[str] = []
    for event, reached in MAIN_LINE if target != S.received else ():
        if event == "record_emergency_measures" and not emergency:
            continue
        events.append(event)
        if event == "complete_assessment":
            events += ["record_separation"] if spec.separation else []
            events += ["start_alternative_care"] if spec.alternative_care else []
            reached = S.emergency if emergency else reached
        if reached == target:
            break
    return events + (["reject_plan"] if spec.rejection else [])


def _schedule(
    demo: Demo, spec: CaseSpec, *, emergency: bool, recorded: datetime
) -> list[tuple[str, datetime]]:
    """When each event happened: typical gaps, squeezed if the case is younger than them,
    with monitoring visits before each 30-day visit clock runs out."""
    events = _events(spec, emergency)
    hours = {**STEP_HOURS, **(EMERGENCY_STEP_HOURS if emergency else {})}
    gaps = [hours[event] * demo.rng.uniform(0.8, 1.2) for event in events]
    limit = demo.now - QUIET_BEFORE_NOW
    scale = min(1.0, (limit - recorded) / timedelta(hours=sum(gaps))) if gaps else 1.0
    times: list[tuple[str, datetime]] = []
    at = recorded
    for event, gap in zip(events, gaps, strict=True):
        at += _minutes(timedelta(hours=gap * scale))
        times.append((event, at))
    if "approve_plan" in events:  # the approval sets the first visit, each visit the next
        n = events.index("approve_plan")
        visit = times[n][1]
        until = times[events.index("start_review")][1] if "start_review" in events else limit
        while (visit := visit + _minutes(VISIT_EVERY * demo.rng.uniform(0.9, 1.05))) < until - DAY:
            times.append(("record_followup", visit))
    times.sort(key=lambda item: item[1])
    bounds = [recorded, *(at for _, at in times), limit]
    for n, (event, at) in enumerate(times):
        if event in DESK_EVENTS:  # each moves within its day, between its neighbours
            times[n] = (event, _by_day(demo, at, after=bounds[n], before=bounds[n + 2]))
            bounds[n + 1] = times[n][1]
    return times


def _by_day(demo: Demo, at: datetime, *, after: datetime, before: datetime) -> datetime:
    """Desk work (a plan, an approval, a visit, an agency's answer) done at night moves into
    office hours the same day (an evening to the afternoon, a small hour to the morning),
    if that keeps it strictly between ``after`` and ``before``."""
    local = at.astimezone(demo.tz)
    hour = local.hour + local.minute / 60
    if 7.5 <= hour <= 17.5:
        return at
    office = 7.5 + hour / 7.5 * 4 if hour < 7.5 else 13.5 + (hour - 17.5) / 6.5 * 4
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    moved = (midnight + _minutes(timedelta(hours=office))).astimezone(UTC)
    return moved if after < moved < before else at


class _Walk:
    """One case's agenda: workflow events and agencies' answers, run in time order."""

    def __init__(
        self,
        demo: Demo,
        spec: CaseSpec,
        case: ProtectionCase,
        caseworker: User,
        times: list[tuple[str, datetime]],
    ) -> None:
        self.demo, self.spec, self.case, self.caseworker = demo, spec, case, caseworker
        self.times = dict(times)
        # Agencies answer before the review (or, for a case still running, the seeding).
        self.end = self.times.get("start_review", demo.now - QUIET_BEFORE_NOW)
        self.agenda: list[tuple[datetime, int, Callable[..., object]]] = []
        self.order = itertools.count()  # same time: in the order they were planned
        self.answered: set[int] = set()  # tasks whose agency's answer is planned
        self.visits = 0

    def add(self, at: datetime, action: Callable[..., object]) -> None:
        heapq.heappush(self.agenda, (at, next(self.order), action))

    def run(self) -> None:
        while self.agenda:
            at, _, action = heapq.heappop(self.agenda)
            action(now=at)

    def actor(self, user: User) -> Actor:
        return Actor(user_id=user.id, role=user.role, commune_id=self.demo.commune.id)

    def fire(self, event: str, *, now: datetime) -> None:
        person = data.SUPERVISOR if event in SUPERVISOR_EVENTS else self.spec.caseworker
        if event == "start_assessment":  # the caseworker takes the case on
            assignment.take(
                self.demo.session,
                self.actor(self.caseworker),
                case=self.case,
                expected_version=None,
                now=now,
            )
        flow.fire_event(
            self.demo.session,
            self.actor(self.demo.users[person]),
            case=self.case,
            event=event,
            payload=self.payload(event, now),
            now=now,
            tz=self.demo.tz,
        )
        if event == "approve_plan":  # the plan's activities reach their agencies
            self.answer_tasks(started=now)

    def payload(self, event: str, at: datetime) -> ev.EventPayload:
        spec = self.spec
        if event == "complete_assessment":
            emergency = self.case.is_emergency
            level = ProtectionLevel.support if spec.support_only else ProtectionLevel.intervention
            at_home = spec.perpetrator in CAREGIVING_PERPETRATORS
            return ev.CompleteAssessment(
                harm_found=spec.description,
                child_safe_now=Answer.no if emergency else Answer.yes,
                perpetrator_has_access=Answer.yes if at_home else Answer.unknown,
                injuries=spec.child_state or "Không có thương tích.",
                caregiver_can_protect=Answer.no if at_home else Answer.yes,
                risk_level=spec.risk or (RiskLevel.high if emergency else RiskLevel.medium),
                emergency=emergency,
                substantiated=True,
                protection_level=level,
            )
        if event == "record_separation":
            return ev.RecordSeparation(started_at=at, place=spec.separation)
        if event == "start_alternative_care":
            return ev.StartAlternativeCare(started_at=at, arrangement=spec.alternative_care)
        if event == "submit_plan":
            needs = "; ".join(data.TASK_TITLES[task.kind] for task in spec.plan)
            return ev.SubmitPlan(
                assessment=ev.DetailedAssessment(
                    physical_mental=spec.child_state or "Trẻ không có thương tích; sức khỏe ổn.",
                    risk_factors=spec.description,
                    needs=f"Trẻ cần: {needs[:1].lower()}{needs[1:]}." if needs else None,
                ),
                tasks=[self.plan_task(task, submitted=at) for task in spec.plan],
                conference_minutes=f"Họp liên ngành ngày {at.astimezone(self.demo.tz):%d/%m/%Y}"
                f": thống nhất {len(spec.plan)} hoạt động hỗ trợ, can thiệp.",
            )
        if event == "approve_plan":
            return ev.ApprovePlan(first_visit_on=local_date(at + FIRST_VISIT, self.demo.tz))
        if event == "reject_plan":
            return ev.RejectPlan(reason=spec.rejection or "")
        if event == "record_followup":
            self.visits += 1
            return ev.Followup(visited_at=at, note=data.VISIT_NOTES[self.visits % 3])
        if event == "start_review":
            return ev.StartReview(stable=True, score=RiskLevel.low)
        if event == "close":
            return ev.Close(reason="resolved", note=spec.closure)
        if event == "record_emergency_measures":
            return ev.RecordEmergencyMeasures(measures=self.measures(at))
        return ev.EventPayload()

    def measures(self, at: datetime) -> list[EmergencyMeasure]:
        """What was done in the hours between the assessment and recording it: the child
        to a safe place (where the chairperson separated them, if so), first aid if hurt,
        the police told."""
        assessed = self.times.get("complete_assessment", at)
        gap = at - assessed

        def taken(kind: MeasureKind, by: str, share: float, **more: str) -> EmergencyMeasure:
            return EmergencyMeasure(kind=kind, by=by, at=assessed + _minutes(gap * share), **more)

        place = self.spec.separation or "Nhà người thân của trẻ"
        done = [taken(MeasureKind.safe_place, "Phòng Văn hóa - Xã hội", 0.3, description=place)]
        if self.spec.child_state:
            done.append(taken(MeasureKind.medical_care, "Trạm Y tế xã Châu Sơn", 0.5))
        done.append(taken(MeasureKind.police_report, "Công an xã Châu Sơn", 0.7))
        return done

    def plan_task(self, task: TaskSpec, *, submitted: datetime) -> ev.PlanTask:
        """An activity of the plan: it starts when the chairperson approves the plan (or,
        while the plan waits, the morning after next)."""
        morning = datetime.combine(
            local_date(submitted, self.demo.tz) + timedelta(days=2), time(8), self.demo.tz
        )
        starts = self.times.get("approve_plan", morning.astimezone(UTC))
        if task.late_hours is not None:
            due = self.demo.now - timedelta(hours=task.late_hours)
        else:
            due = starts + timedelta(days=task.days)
        return ev.PlanTask(
            agency_id=self.agency(task.kind).id,
            title=data.TASK_TITLES[task.kind],
            starts_at=starts,
            due_at=due,
            cost_vnd=task.cost_vnd,
        )

    def agency(self, kind: str) -> AgencyRow:
        child = self.demo.session.get_one(Child, self.case.child_id)
        agency = agency_service.find_for_task(
            self.demo.session,
            commune_id=self.demo.commune.id,
            kind=data.TASK_AGENCY[kind.split(".")[0]],
            school_name=child.school_name,
            village_id=child.village_id,
        )
        if agency is None:
            raise LookupError(f"no agency for {kind} in the demo")
        return agency

    def answer_tasks(self, *, started: datetime, statuses: dict[str, TS] | None = None) -> None:
        """Plan each agency's answer to the tasks it just received: accepted in the time to
        accept, done before the task is due (or declined, or left open)."""
        plan = {data.TASK_TITLES[spec.kind]: spec for spec in self.spec.plan}
        tasks = self.demo.session.exec(
            select(Task)
            .where(Task.case_id == self.case.id, Task.status == TS.open)
            .order_by(Task.id)
        ).all()
        for task in (task for task in tasks if task.id not in self.answered):
            self.answered.add(task.id)
            spec = plan.get(task.title) if task.kind == PLAN_ACTIVITY else None
            status = spec.status if spec else (statuses or {}).get(task.kind, TS.done)
            if status == TS.open:
                continue
            accept_by = self.demo.session.exec(
                select(CaseDeadline.due_at).where(
                    CaseDeadline.task_id == task.id, CaseDeadline.kind == task_service.TASK_ACK
                )
            ).one()
            end, rng = min(task.due_at, self.end), self.demo.rng
            by = min(accept_by, end)
            answered = started + _minutes((by - started) * rng.uniform(0.2, 0.7))
            answered = _by_day(self.demo, answered, after=started, before=by)
            session, case, actor = self.demo.session, self.case, self.actor(self.officer(task))
            if status == TS.declined:
                reason = spec.note if spec else ""
                self.add(answered, partial(task_service.decline, session, actor, task=task,
                                           case=case, reason=reason, tz=self.demo.tz))  # fmt: skip
                continue
            self.add(answered, partial(task_service.accept, session, actor, task=task, case=case))
            if status == TS.done:
                done = answered + _minutes((end - answered) * rng.uniform(0.4, 0.9))
                done = _by_day(self.demo, done, after=answered, before=end)
                outcome = data.OUTCOMES[spec.kind if spec else task.kind]
                self.add(done, partial(task_service.complete, session, actor, task=task,
                                       case=case, outcome=outcome))  # fmt: skip

    def officer(self, task: Task) -> User:
        """Who answers for the agency: its officer or head; the caseworker records the answer
        of an agency without an account (and answers for the social office)."""
        people = [u for u in self.demo.users.values() if u.agency_id == task.agency_id]
        staff = {person.role: person for person in reversed(people)}  # the first of each role
        return staff.get(Role.agency_officer) or staff.get(Role.agency_head) or self.caseworker


def fire_due_timers(demo: Demo) -> None:
    """What the ticker would have done by now: fire every ladder step already due (the
    reminders, overdue notices and escalations of the clocks still running)."""
    ids = runner.claim(
        demo.session, now=demo.now, worker=TIMER_WORKER, lease=timedelta(minutes=5), limit=100000
    )
    runner.fire_batch(demo.session, timer_ids=ids, worker=TIMER_WORKER, now=demo.now, tz=demo.tz)
