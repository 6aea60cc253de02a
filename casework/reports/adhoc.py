"""Ad-hoc reports (báo cáo đột xuất, seed 000): owed at once when a case records a child
sexually abused or trafficked, or when the supervisor records a child's death from injury
or violence or a disaster that hit children. Each is an ``adhoc_report`` instance for the
supervisor, due ``CASEWORK_ADHOC_REPORT_HOURS`` after it opens, on the same ladder, timers
and queue as every other clock."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session, select

from casework.base import label
from casework.processes.models import WorkflowInstance
from casework.reports.models import AdhocCause, PeriodicReport, ReportKind
from casework.reports.obligations import DEFINITION, start_report
from casework.timefmt import local_date

# The forms of harm at intake that owe an ad-hoc report, and the cause each is reported as.
REPORTED_FORMS = {"sexual_abuse": AdhocCause.sexual_abuse, "trafficking": AdhocCause.trafficking}
UPWARD = "Ủy ban nhân dân cấp trên và Sở Y tế"


def open_report(
    session: Session,
    *,
    commune_id: int,
    cause: AdhocCause,
    case_id: int | None,
    now: datetime,
    tz: ZoneInfo,
    hours: int,
    code: str | None = None,
) -> PeriodicReport:
    """A new ad-hoc report for the supervisor, due ``hours`` from now."""
    day = local_date(now, tz)
    what = label(cause)
    title = f"Báo cáo đột xuất: {what.lower()}" + (f" (hồ sơ {code})" if code else "")
    report = PeriodicReport(
        commune_id=commune_id,
        instance_id=0,
        kind=ReportKind.adhoc,
        obligation="adhoc",
        year=day.year,
        period_first=day,
        period_last=day,
        case_id=case_id,
        cause=cause,
        title=title,
        recipient=UPWARD,
        due_at=now + timedelta(hours=hours),
        opened_at=now,
    )
    subject = ("case_adhoc", case_id, cause.value) if case_id else ("adhoc", None, now.isoformat())
    return start_report(session, kind=ReportKind.adhoc, commune_id=commune_id, subject=subject,
                  report=report, now=now, tz=tz)  # fmt: skip


def for_case(
    session: Session,
    *,
    commune_id: int,
    case_id: int,
    code: str,
    forms: Iterable[str],
    now: datetime,
    tz: ZoneInfo,
    hours: int,
) -> list[PeriodicReport]:
    """The ad-hoc reports a case's harm owes that it does not have yet (one per cause)."""
    causes = sorted({REPORTED_FORMS[f] for f in forms if f in REPORTED_FORMS})
    have = set(
        session.exec(
            select(WorkflowInstance.subject_key).where(
                WorkflowInstance.definition == DEFINITION[ReportKind.adhoc],
                WorkflowInstance.subject_kind == "case_adhoc",
                WorkflowInstance.subject_id == case_id,
            )
        ).all()
    )
    return [
        open_report(
            session,
            commune_id=commune_id,
            cause=cause,
            case_id=case_id,
            now=now,
            tz=tz,
            hours=hours,
            code=code,
        )  # fmt: skip
        for cause in causes
        if cause.value not in have
    ]
