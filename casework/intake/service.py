"""Record an intake: the report, the child (found or new) and the case, in one transaction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlmodel import Session, select

from casework.actors import Actor
from casework.audit import service as audit_service
from casework.audit.models import AuditAction
from casework.audit.service import Origin, Record
from casework.cases import flow
from casework.cases import service as case_service
from casework.children import service as child_service
from casework.children.models import Child
from casework.communes.models import Commune, Village
from casework.config import DEFAULT_ADHOC_REPORT_HOURS, DEFAULT_LATE_REPORT_DAYS
from casework.errors import FieldError, InvalidInput
from casework.intake import idempotency
from casework.intake import validation as rules
from casework.intake.models import Report, ReportHarmForm
from casework.intake.schemas import IntakeCreate, IntakeResult
from casework.reports import adhoc


def _commune(session: Session, code: str, only: int | None) -> Commune:
    """The commune named by the report; one the reporter may not report to (``only``: their
    own) is refused exactly as an unknown one."""
    commune = session.exec(select(Commune).where(Commune.code == code)).first()
    if commune is None or (only is not None and commune.id != only):
        raise InvalidInput(
            [FieldError(("commune_code",), "commune_not_found", {"commune_code": code})]
        )
    return commune


def _village(session: Session, *, commune: Commune, data: IntakeCreate) -> Village | None:
    if data.child is None:
        return None
    return child_service.resolve_village(
        session, commune_id=commune.id, name=data.child.village, loc=("child", "village")
    )


def _checked(
    session: Session, *, commune: Commune, data: IntakeCreate, today: rules.Today
) -> Village | None:
    """Every rule of the report and the child's village, refused together in one 422."""
    errors = rules.problems(data.model_dump(), today)
    village = None
    try:
        village = _village(session, commune=commune, data=data)
    except InvalidInput as exc:
        errors.extend(exc.errors())
    if errors:
        raise InvalidInput(errors)
    return village


def _child(
    session: Session,
    *,
    commune: Commune,
    data: IntakeCreate,
    village: Village | None,
    today: rules.Today,
) -> Child:
    if data.child_id is not None:
        child = child_service.get_in_commune(session, commune_id=commune.id, child_id=data.child_id)
        if child is None:
            raise InvalidInput(
                [FieldError(("child_id",), "child_not_found", {"child_id": data.child_id})]
            )
        before = rules.receipt_before_birth(
            data.first_received_at,
            date_of_birth=child.date_of_birth,
            birth_year=child.birth_year,
            tz=today.tz,
        )
        if before is not None:
            raise InvalidInput([before])
        return child
    assert data.child is not None
    village_id = village.id if village else None
    existing = child_service.find_same_child(
        session, commune_id=commune.id, data=data.child, village_id=village_id
    )
    if existing is not None:
        return existing
    return child_service.create_child(
        session, commune_id=commune.id, data=data.child, village_id=village_id, now=today.now
    )


def record_intake(
    session: Session,
    *,
    data: IntakeCreate,
    now: datetime,
    tz: ZoneInfo,
    recorded_by_id: int | None = None,
    commune_id: int | None = None,
    late_report_days: int = DEFAULT_LATE_REPORT_DAYS,
    adhoc_report_hours: int = DEFAULT_ADHOC_REPORT_HOURS,
) -> IntakeResult:
    """Record a report (Mẫu 01) and open the child's case, or join the case already open.

    A report whose suspected perpetrator is a parent, step-parent or caregiver, or whose
    child is in immediate danger, makes the case an emergency (NĐ56 Đ31). One first
    received more than ``late_report_days`` ago must be confirmed as passed on late; the
    case's history and the report say so.
    """
    commune = _commune(session, data.commune_code, commune_id)
    today = rules.Today(now=now, tz=tz, late_report_days=late_report_days)
    village = _checked(session, commune=commune, data=data, today=today)
    child = _child(session, commune=commune, data=data, village=village, today=today)
    late = rules.late_days(data.first_received_at, today)
    detail = {"late_report_days": late} if late is not None else {}
    emergency = case_service.is_emergency_report(
        immediate_danger=data.immediate_danger,
        perpetrator=data.perpetrator_relation,
        harm_forms=data.harm_forms,
        setting=data.setting,
    )
    case = case_service.find_open_case(session, child_id=child.id)
    case_opened = case is None
    if case is None:
        case = case_service.open_case(
            session,
            commune=commune,
            child_id=child.id,
            is_emergency=emergency,
            now=now,
            tz=tz,
            actor_id=recorded_by_id,
            detail=detail,
        )
    report = Report(
        commune_id=commune.id,
        case_id=case.id,
        child_id=child.id,
        channel=data.channel,
        first_received_at=data.first_received_at,
        recorded_at=now,
        recorded_by_id=recorded_by_id,
        reporter_anonymous=data.reporter.anonymous,
        reporter_name=data.reporter.name,
        reporter_phone=data.reporter.phone,
        reporter_relation=data.reporter.relation,
        location=data.location,
        description=data.description,
        setting=data.setting,
        perpetrator_relation=data.perpetrator_relation,
        child_state=data.child_state,
        immediate_danger=data.immediate_danger,
        late_report_confirmed=late is not None,
    )
    session.add(report)
    session.flush()
    session.add_all(ReportHarmForm(report_id=report.id, form=form) for form in data.harm_forms)
    session.flush()
    actor = Actor(user_id=recorded_by_id, role=None, commune_id=commune.id)
    if case_opened:
        flow.open_workflow(session, case=case, actor=actor, now=now, tz=tz)
    else:
        was_emergency = case.is_emergency
        case_service.attach_report(
            session,
            case=case,
            report_id=report.id,
            is_emergency=emergency,
            now=now,
            actor_id=recorded_by_id,
            detail=detail,
        )
        signals = [flow.BECAME_EMERGENCY] if case.is_emergency and not was_emergency else []
        for signal in (*signals, flow.REPORT_ADDED):
            flow.react(
                session,
                case=case,
                signal=signal,
                received_at=data.first_received_at,
                report_id=report.id,
                actor=actor,
                now=now,
                tz=tz,
            )
    # A child sexually abused or trafficked: the supervisor owes an ad-hoc report at once.
    adhoc.for_case(
        session,
        commune_id=commune.id,
        case_id=case.id,
        code=case.code,
        forms=data.harm_forms,
        now=now,
        tz=tz,
        hours=adhoc_report_hours,
    )
    session.flush()
    return IntakeResult(
        case_code=case.code,
        child_id=child.id,
        report_id=report.id,
        case_opened=case_opened,
        is_emergency=case.is_emergency,
        possible_duplicates=child_service.possible_duplicates(session, child=child),
    )


INTAKE_SCOPE = "intakes.create"


@dataclass(frozen=True)
class Submission:
    status_code: int
    body: dict[str, Any]
    replayed: bool


def submit(
    session: Session,
    *,
    data: IntakeCreate,
    idempotency_key: str | None,
    now: datetime,
    tz: ZoneInfo,
    recorded_by_id: int | None = None,
    commune_id: int | None = None,
    late_report_days: int = DEFAULT_LATE_REPORT_DAYS,
    adhoc_report_hours: int = DEFAULT_ADHOC_REPORT_HOURS,
) -> Submission:
    """``record_intake`` behind an optional idempotency key: a retry replays the first answer.

    The commune is checked first: a stored answer is never replayed to someone who may not
    report to that commune (it names the case and possible duplicate children).
    """
    fingerprint = idempotency.request_hash(data.model_dump(mode="json"))
    if idempotency_key is not None:
        _commune(session, data.commune_code, commune_id)
        previous = idempotency.replay(
            session, scope=INTAKE_SCOPE, key=idempotency_key, fingerprint=fingerprint
        )
        if previous is not None:
            return Submission(previous.status_code, previous.body, replayed=True)
    result = record_intake(
        session,
        data=data,
        now=now,
        tz=tz,
        recorded_by_id=recorded_by_id,
        commune_id=commune_id,
        late_report_days=late_report_days,
        adhoc_report_hours=adhoc_report_hours,
    )
    body = result.model_dump(mode="json")
    if idempotency_key is not None:
        idempotency.remember(
            session,
            scope=INTAKE_SCOPE,
            key=idempotency_key,
            fingerprint=fingerprint,
            status_code=201,
            body=body,
            now=now,
        )
    return Submission(201, body, replayed=False)


def submit_as(
    session: Session,
    actor: Actor,
    *,
    data: IntakeCreate,
    idempotency_key: str | None,
    origin: Origin,
    now: datetime,
    tz: ZoneInfo,
    late_report_days: int = DEFAULT_LATE_REPORT_DAYS,
    adhoc_report_hours: int = DEFAULT_ADHOC_REPORT_HOURS,
) -> Submission:
    """``submit`` on behalf of ``actor`` (reports go to their own commune only), with its
    audit entry in the same transaction: the API and the intake page record it alike."""
    submission = submit(
        session,
        data=data,
        idempotency_key=idempotency_key,
        now=now,
        tz=tz,
        recorded_by_id=actor.user_id,
        commune_id=actor.commune_id,
        late_report_days=late_report_days,
        adhoc_report_hours=adhoc_report_hours,
    )
    audit_service.append(
        session,
        actor,
        Record(
            AuditAction.create,
            "case",
            submission.body.get("case_code"),
            detail={"report": submission.body.get("report_id"), "replayed": submission.replayed},
        ),
        origin=origin,
        now=now,
    )
    return submission


@dataclass(frozen=True)
class FormPlaces:
    """What the intake form offers: the reporter's commune and its villages, by name."""

    commune_code: str
    villages: list[str]


def form_places(session: Session, *, commune_id: int | None) -> FormPlaces:
    """The commune a person reports to (their own) and its villages, for the intake form."""
    rows = session.execute(
        sa.select(Commune.code, Village.name)
        .select_from(Commune)
        .outerjoin(Village, sa.and_(Village.commune_id == Commune.id, Village.live()))
        .where(Commune.id == commune_id)
        .order_by(Village.name_key)
    ).all()
    if not rows:
        return FormPlaces(commune_code="", villages=[])
    return FormPlaces(commune_code=rows[0][0], villages=[name for _, name in rows if name])
