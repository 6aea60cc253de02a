"""What people do with a report owed, as rules: who may, in which state, what is kept.

An agency's officer or head submits their agency's report (its sections, an attachment);
the commune's caseworker accepts it or sends it back with what is missing. The caseworker
consolidates the commune's report (the agencies' sections gathered under each heading, then
edited), submits it for approval; the supervisor approves it or returns it; then it is
recorded as sent, with who and when and the reference it went under. An ad-hoc report is
sent by the supervisor. Every step is an event on the report's instance (``obligations.
fire``): a step the state does not offer is refused, a report changed since the page was
opened is refused, and nothing of either is saved.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from casework.accounts.models import Role
from casework.actors import Actor
from casework.agencies.models import Agency
from casework.errors import CaseworkError, FieldError, InvalidInput
from casework.reports import obligations, snapshot
from casework.reports.models import PeriodicReport, ReportKind
from casework.reports.outline import HEADINGS, SECTION_KEYS, SECTION_MAX

ATTACHMENT_MAX = 5 * 1024 * 1024
ATTACHMENT_TYPES = {
    "application/pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/msword",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "image/jpeg",
    "image/png",
}


class NotYours(CaseworkError):
    status_code = 403
    code = "report_not_yours"


def clean_sections(raw: Mapping[str, str]) -> dict[str, str]:
    """The outline's sections as typed (others ignored); an over-long one is refused."""
    found, errors = {}, []
    for key in SECTION_KEYS:
        text = (raw.get(key) or "").strip()
        if len(text) > SECTION_MAX:
            errors.append(FieldError((key,), "section_too_long", {"max": SECTION_MAX}))
        elif text:
            found[key] = text
    if errors:
        raise InvalidInput(errors)
    return found


def check_attachment(name: str, content_type: str, body: bytes) -> None:
    if len(body) > ATTACHMENT_MAX:
        raise InvalidInput([FieldError(("attachment",), "attachment_too_big", {"mb": 5})])
    if content_type not in ATTACHMENT_TYPES:
        raise InvalidInput([FieldError(("attachment",), "attachment_type", {"name": name})])


def _own_agency(actor: Actor, report: PeriodicReport) -> None:
    if report.kind != ReportKind.agency or report.agency_id != actor.agency_id:
        raise NotYours(report_id=report.id)


def _role(actor: Actor, *roles: Role) -> None:
    if actor.role not in roles:
        raise NotYours()


def submit(
    session: Session,
    actor: Actor,
    *,
    report: PeriodicReport,
    version: int,
    sections: dict[str, str],
    attachment: tuple[str, str, bytes] | None,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """The agency sends its report: its words, its attachment, and its figures from the
    data as they stand now (kept as sent)."""
    _own_agency(actor, report)
    obligations.expect(report, version)
    report.sections = sections
    if attachment is not None:
        report.attachment_name, report.attachment_type, report.attachment = attachment
    report.figures = snapshot.agency_figures(session, report, tz, now=now)
    report.submitted_by_id, report.submitted_at = actor.user_id, now
    report.returned_reason = None
    obligations.fire(session, report=report, event="submit", now=now, tz=tz)


def return_report(
    session: Session,
    actor: Actor,
    *,
    report: PeriodicReport,
    version: int,
    reason: str,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """The caseworker sends an agency's report back with what is missing; its clock is
    not armed again (it was met on submission), so the agency's lateness stays visible."""
    _role(actor, Role.caseworker, Role.supervisor)
    obligations.expect(report, version)
    if not reason.strip():
        raise InvalidInput([FieldError(("reason",), "missing")])
    report.returned_reason = reason.strip()[:1000]
    obligations.fire(session, report=report, event="return_report", now=now, tz=tz)


def accept(
    session: Session, actor: Actor, *, report: PeriodicReport, version: int, now: datetime,
    tz: ZoneInfo,
) -> None:  # fmt: skip
    _role(actor, Role.caseworker, Role.supervisor)
    obligations.expect(report, version)
    report.accepted_by_id, report.accepted_at = actor.user_id, now
    obligations.fire(session, report=report, event="accept", now=now, tz=tz)


def gathered(session: Session, report: PeriodicReport) -> dict[str, str]:
    """The agencies' accepted or submitted sections for the same year and period, under
    each heading, each paragraph opened by the agency's name: the commune report's draft."""
    rows = session.exec(
        select(PeriodicReport, Agency.name)
        .join(Agency, Agency.id == PeriodicReport.agency_id)
        .where(
            PeriodicReport.commune_id == report.commune_id,
            PeriodicReport.kind == ReportKind.agency,
            PeriodicReport.year == report.year,
            PeriodicReport.period_last == report.period_last,
            PeriodicReport.submitted_at.is_not(None),
        )
        .order_by(Agency.name)
    ).all()
    draft: dict[str, list[str]] = {}
    for agency_report, name in rows:
        for key, text in agency_report.sections.items():
            if key in HEADINGS:
                draft.setdefault(key, []).append(f"{name}: {text}")
    return {key: "\n\n".join(parts) for key, parts in draft.items()}


def save_draft(
    session: Session, actor: Actor, *, report: PeriodicReport, version: int,
    sections: dict[str, str],
) -> None:  # fmt: skip
    _role(actor, Role.caseworker, Role.supervisor)
    if report.kind == ReportKind.agency:
        raise NotYours(report_id=report.id)
    obligations.expect(report, version)
    report.sections = sections
    session.add(report)
    session.flush()


def submit_for_approval(
    session: Session, actor: Actor, *, report: PeriodicReport, version: int,
    sections: dict[str, str], now: datetime, tz: ZoneInfo,
) -> None:  # fmt: skip
    _role(actor, Role.caseworker, Role.supervisor)
    obligations.expect(report, version)
    report.sections = sections
    report.figures = snapshot.commune_figures(session, report, tz, now=now)
    report.submitted_by_id, report.submitted_at = actor.user_id, now
    report.returned_reason = None
    obligations.fire(session, report=report, event="submit_for_approval",
                     now=now, tz=tz)  # fmt: skip


def return_for_changes(
    session: Session, actor: Actor, *, report: PeriodicReport, version: int, reason: str,
    now: datetime, tz: ZoneInfo,
) -> None:  # fmt: skip
    _role(actor, Role.supervisor)
    obligations.expect(report, version)
    if not reason.strip():
        raise InvalidInput([FieldError(("reason",), "missing")])
    report.returned_reason = reason.strip()[:1000]
    obligations.fire(session, report=report, event="return_for_changes",
                     now=now, tz=tz)  # fmt: skip


def approve(
    session: Session, actor: Actor, *, report: PeriodicReport, version: int, now: datetime,
    tz: ZoneInfo,
) -> None:  # fmt: skip
    _role(actor, Role.supervisor)
    obligations.expect(report, version)
    report.approved_by_id, report.approved_at = actor.user_id, now
    obligations.fire(session, report=report, event="approve", now=now, tz=tz)


def send(
    session: Session, actor: Actor, *, report: PeriodicReport, version: int, note: str,
    sections: dict[str, str] | None, now: datetime, tz: ZoneInfo,
) -> None:  # fmt: skip
    """Recorded as sent up: who, when, and the reference it went under (its clock met).
    The commune's report once approved; an ad-hoc report by the supervisor at once."""
    if report.kind == ReportKind.adhoc:
        _role(actor, Role.supervisor)
        if sections is not None:
            report.sections = sections
    else:
        _role(actor, Role.caseworker, Role.supervisor)
    obligations.expect(report, version)
    if not note.strip():
        raise InvalidInput([FieldError(("note",), "report_sent_note")])
    report.sent_by_id, report.sent_at, report.sent_note = actor.user_id, now, note.strip()[:500]
    obligations.fire(session, report=report, event="send", now=now, tz=tz)


def allowed(actor: Actor, report: PeriodicReport, state: str) -> frozenset[str]:
    """The steps ``actor`` may take on ``report`` in ``state`` (the page offers these;
    each step checks its own rule again)."""
    office = actor.role in {Role.caseworker, Role.supervisor}
    boss = actor.role == Role.supervisor
    found: set[str] = set()
    if report.kind == ReportKind.agency:
        if state == "open" and actor.agency_id == report.agency_id:
            found.add("nop")
        if state == "submitted" and office:
            found |= {"tiep-nhan", "tra-lai"}
    elif report.kind == ReportKind.commune:
        if state == "drafting" and office:
            found |= {"luu", "trinh"}
        if state == "awaiting_approval" and boss:
            found |= {"phe-duyet", "tra-ve"}
        if state == "approved" and office:
            found.add("gui")
    elif state == "open" and boss:
        found.add("gui")
    return frozenset(found)


def take(
    session: Session,
    actor: Actor,
    *,
    report: PeriodicReport,
    action: str,
    fields: Mapping[str, str],
    attachment: tuple[str, str, bytes] | None,
    now: datetime,
    tz: ZoneInfo,
) -> None:
    """The step a page's button names (``action``), with the form's fields."""
    typed = fields.get("version", "")
    version = int(typed) if typed.isdigit() else 0  # a mangled one: as good as stale
    common = {"report": report, "version": version}
    sections = clean_sections(fields)
    if action == "nop":
        if attachment is not None:
            check_attachment(*attachment)
        submit(session, actor, **common, sections=sections, attachment=attachment, now=now, tz=tz)
    elif action == "tra-lai":
        return_report(session, actor, **common, reason=fields.get("reason", ""), now=now, tz=tz)
    elif action == "tiep-nhan":
        accept(session, actor, **common, now=now, tz=tz)
    elif action == "luu":
        save_draft(session, actor, **common, sections=sections)
    elif action == "trinh":
        submit_for_approval(session, actor, **common, sections=sections, now=now, tz=tz)
    elif action == "tra-ve":
        return_for_changes(
            session, actor, **common, reason=fields.get("reason", ""), now=now, tz=tz
        )
    elif action == "phe-duyet":
        approve(session, actor, **common, now=now, tz=tz)
    elif action == "gui":
        given = sections if report.kind == ReportKind.adhoc else None
        send(session, actor, **common, note=fields.get("note", ""), sections=given, now=now, tz=tz)
    else:
        raise InvalidInput([FieldError(("action",), "report_step_unknown")])
