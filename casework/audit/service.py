"""Append to the audit log, read it, and verify its hash chain.

Appending locks the one ``audit_head`` row, so entries get consecutive numbers and each
links to the one before it even with many processes writing at once (PostgreSQL: a row
lock; SQLite: writers are serialised anyway). Callers append as the last step before their
commit, so the lock is held for one insert and one update, not for the whole request.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, select

from casework.actors import Actor
from casework.audit.models import GENESIS, AuditAction, AuditEntry, AuditHead
from casework.timefmt import as_utc

HEAD_ID = 1


@dataclass(frozen=True)
class Origin:
    """Where a request came from, as the audit log records it."""

    ip: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True)
class Record:
    """One thing to write down: who (actor or a bare username), what, to which subject."""

    action: AuditAction
    subject_type: str | None = None
    subject_id: str | None = None
    outcome: str = "ok"
    detail: dict[str, Any] = field(default_factory=dict)
    username: str | None = None  # for failed logins, where there is no actor


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    """SHA-256 over the previous hash and every field of the entry (canonical JSON)."""
    body = {
        "seq": entry.seq,
        "at": as_utc(entry.at).isoformat(timespec="microseconds"),
        "actor_id": entry.actor_id,
        "username": entry.username,
        "role": entry.role,
        "commune_id": entry.commune_id,
        "token_id": entry.token_id,
        "action": entry.action,
        "subject_type": entry.subject_type,
        "subject_id": entry.subject_id,
        "outcome": entry.outcome,
        "ip": entry.ip,
        "user_agent": entry.user_agent,
        "detail": entry.detail,
    }
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(f"{prev_hash}\n{canonical}".encode()).hexdigest()


def append(
    session: Session,
    actor: Actor | None,
    records: list[Record] | Record,
    *,
    origin: Origin,
    now: datetime,
) -> list[AuditEntry]:
    """Chain ``records`` onto the log in the caller's transaction (flushes, never commits)."""
    if isinstance(records, Record):
        records = [records]
    head = session.exec(select(AuditHead).where(AuditHead.id == HEAD_ID).with_for_update()).one()
    entries = []
    for record in records:
        entry = AuditEntry(
            seq=head.last_seq + 1,
            at=as_utc(now),
            actor_id=actor.user_id if actor else None,
            username=(actor.username if actor else None) or record.username,
            role=actor.role.value if actor and actor.role else None,
            commune_id=actor.commune_id if actor else None,
            token_id=actor.token_id if actor else None,
            action=record.action.value,
            subject_type=record.subject_type,
            subject_id=record.subject_id,
            outcome=record.outcome,
            ip=(origin.ip or None) and origin.ip[:64],
            user_agent=(origin.user_agent or None) and origin.user_agent[:300],
            detail=record.detail,
            prev_hash=head.last_hash,
            hash="",
        )
        entry.hash = entry_hash(head.last_hash, entry)
        session.add(entry)
        head.last_seq, head.last_hash = entry.seq, entry.hash
        entries.append(entry)
    session.add(head)
    session.flush()
    return entries


@dataclass(frozen=True)
class Verification:
    checked: int
    problems: list[str]
    head_hash: str

    @property
    def ok(self) -> bool:
        return not self.problems


def _entries(session: Session, batch: int = 2000) -> Iterator[AuditEntry]:
    last = 0
    while True:
        rows = session.exec(
            select(AuditEntry).where(AuditEntry.seq > last).order_by(AuditEntry.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last = rows[-1].seq
        session.expunge_all()


def verify(session: Session) -> Verification:
    """Walk the whole chain: an edited, inserted or deleted entry breaks it where it is."""
    problems: list[str] = []
    expected_seq, prev = 1, GENESIS
    checked = 0
    for entry in _entries(session):
        checked += 1
        if entry.seq != expected_seq:
            problems.append(f"entries {expected_seq}–{entry.seq - 1} are missing")
        if entry.prev_hash != prev:
            problems.append(f"entry {entry.seq} does not link to the entry before it")
        if entry_hash(entry.prev_hash, entry) != entry.hash:
            problems.append(f"entry {entry.seq} was altered after it was written")
        expected_seq, prev = entry.seq + 1, entry.hash
    head = session.get(AuditHead, HEAD_ID)
    if head is None:
        problems.append("the chain head is missing")
    elif head.last_seq != expected_seq - 1 or head.last_hash != prev:
        problems.append(
            f"the chain ends at entry {expected_seq - 1} but its head says {head.last_seq}: "
            "entries at the end were deleted, or the head was edited"
        )
    return Verification(checked=checked, problems=problems, head_hash=prev)


@dataclass(frozen=True)
class AuditFilter:
    actor_id: int | None = None
    username: str | None = None
    action: AuditAction | None = None
    subject_type: str | None = None
    subject_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def search_statement(actor: Actor, filters: AuditFilter) -> sa.Select[tuple[AuditEntry]]:
    """Entries an auditor may read (their commune's, and failed logins with no commune)."""
    statement = select(AuditEntry).where(
        sa.or_(AuditEntry.commune_id == actor.commune_id, AuditEntry.commune_id.is_(None))
    )
    conditions = {
        AuditEntry.actor_id: filters.actor_id,
        AuditEntry.username: filters.username,
        AuditEntry.action: filters.action.value if filters.action else None,
        AuditEntry.subject_type: filters.subject_type,
        AuditEntry.subject_id: filters.subject_id,
    }
    for column, value in conditions.items():
        if value is not None:
            statement = statement.where(column == value)
    if filters.since is not None:
        statement = statement.where(AuditEntry.at >= filters.since)
    if filters.until is not None:
        statement = statement.where(AuditEntry.at < filters.until)
    return statement.order_by(AuditEntry.seq.desc())
