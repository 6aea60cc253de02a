"""Messages a workflow step causes besides its ladders and tasks, and what happens when a
message dies.

When a case becomes an emergency (its 12-hour clock starts), the commune police, the health
station and the supervisor hear at once; when a plan is submitted, the supervisor hears
that it awaits approval. A message the relay gave up on puts the case in the supervisor's
queue ("Thông báo không gửi được"), once per case while that entry is open.
"""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from casework import notices
from casework.accounts.models import Role, User
from casework.agencies.directory import Directory, Person
from casework.agencies.models import AgencyKind
from casework.cases.models import ProtectionCase
from casework.escalations import service as escalation_service
from casework.escalations.models import EscalationReason
from casework.escalations.service import NewEscalation
from notifications.models import OutboxMessage, OutboxState, recipient_user_id
from notifications.relay import DeadMessage
from workflows.effects import ArmDeadline, Step

log = logging.getLogger(__name__)

EMERGENCY_AGENCIES = (AgencyKind.police, AgencyKind.health_station)
FOCAL_POINTS_AND_HEADS = (Role.agency_officer, Role.agency_head)
RESEND_PREFIX = "resend:"  # + the dead message's id: the dedupe key of its copy


def _emergency_people(session: Session, case: ProtectionCase) -> list[Person]:
    directory = Directory.load(session, commune_ids=[case.commune_id])
    people: dict[int, Person] = {}
    for kind in EMERGENCY_AGENCIES:
        agency = directory.agency_for_task(
            commune_id=case.commune_id, kind=kind, school_name=None, village_id=None
        )
        if agency is not None:
            members = directory.members(agency.id, FOCAL_POINTS_AND_HEADS)
            people.update((p.id, p) for p in members)
    supervisors = directory.commune_people(case.commune_id, Role.supervisor)
    people.update((p.id, p) for p in supervisors)
    return list(people.values())


def on_step(
    session: Session, *, case: ProtectionCase, step: Step, now: datetime, tz: ZoneInfo
) -> int:
    """Tell who must know that a clock started: an emergency (police, health station,
    supervisor; once per case) or a plan awaiting approval (supervisor; once per
    submission). Returns how many messages were queued."""
    queued = 0
    for effect in step.effects:
        if not isinstance(effect, ArmDeadline):
            continue
        if effect.kind == "emergency_measures":
            queued += notices.send(
                session,
                kind="case.emergency",
                people=_emergency_people(session, case),
                case=case,
                dedupe=f"case:{case.id}:emergency",
                now=now,
                tz=tz,
                due_at=effect.due_at,
                urgent=True,
            )
        elif effect.kind == "plan_approval":
            queued += notices.send(
                session,
                kind="plan.awaiting_approval",
                people=notices.recipients(session, case=case, task=None, roles=("supervisor",)),
                case=case,
                dedupe=f"case:{case.id}:plan_approval:{int(effect.due_at.timestamp())}",
                now=now,
                tz=tz,
                due_at=effect.due_at,
            )
    return queued


def on_dead(session: Session, dead: list[DeadMessage], now: datetime, *, tz: ZoneInfo) -> None:
    """Messages the relay gave up on: each case concerned goes in the supervisor's queue,
    once while that entry is open. The cases are locked first, in id order, as every
    writer of a case does, so two relays giving up at once add one entry."""
    for message in dead:
        log.error(
            "message %s (%s by %s to %s) is dead: %s",
            message.id,
            message.kind,
            message.channel,
            message.recipient,
            message.last_error,
        )
    first = {}
    for message in dead:
        if message.subject_ref.startswith("case:"):
            first.setdefault(message.subject_ref.removeprefix("case:"), message)
    if not first:
        return
    cases = session.exec(
        select(ProtectionCase)
        .where(ProtectionCase.code.in_(list(first)))
        .order_by(ProtectionCase.id)
        .with_for_update()
    ).all()
    escalation_service.raise_many(
        session,
        items=[
            NewEscalation(case, EscalationReason.message_failed, message_id=first[case.code].id)
            for case in cases
        ],
        directory=Directory.load(session, commune_ids={case.commune_id for case in cases}),
        now=now,
        tz=tz,
    )


def resend_dead(session: Session, *, case_code: str, now: datetime) -> int:
    """Send the case's undelivered messages again, each to its recipient's address as it
    is now: the usual fix for a dead message is an administrator correcting a phone number
    or an e-mail, so the address written at enqueue time is stale. Each goes as a new
    message (a new id, so a new idempotency key: a provider that refused the old one may
    remember its key) with the same words; the dead one stays in the timeline as it was.
    A dead message is sent again at most once; its copy can itself be sent again if it
    dies. Returns how many were queued."""
    dead = session.exec(
        select(OutboxMessage).where(
            OutboxMessage.subject_ref == f"case:{case_code}",
            OutboxMessage.state == OutboxState.dead,
        )
    ).all()
    keys = {f"{RESEND_PREFIX}{row.id}" for row in dead}
    done = set(
        session.exec(select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(keys)))
    )
    ids = {recipient_user_id(row.recipient) for row in dead} - {None}
    people = {u.id: u for u in session.exec(select(User).where(User.id.in_(ids))).all()}
    queued = 0
    for row in dead:
        key = f"{RESEND_PREFIX}{row.id}"
        if key in done:
            continue
        person = people.get(recipient_user_id(row.recipient))
        address = notices.address_of(person, row.channel) if person else row.address
        session.add(
            OutboxMessage(
                kind=row.kind,
                recipient=row.recipient,
                channel=row.channel,
                address=address,
                language=row.language,
                urgent=row.urgent,
                subject_ref=row.subject_ref,
                context=row.context,
                dedupe_key=key,
                template_id=row.template_id,
                subject=row.subject,
                body=row.body,
                next_attempt_at=now,
                created_at=now,
            )
        )
        queued += 1
    return queued
