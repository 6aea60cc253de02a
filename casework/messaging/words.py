"""What the notification templates show besides a message's stored context: the link to the
case, the deadline in local time, the names of deadlines and escalation reasons, and the
carrier's rules per SMS kind.

A message's context holds only a case code, an action phrase, a deadline and labels
(``casework.notices``); nothing here reads the case, so rendering never touches the child.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

from casework.accounts import activation
from casework.base import Lang, label
from casework.cases import workflow
from casework.escalations.models import EscalationReason
from notifications.render import Enrich, SmsKind

# Per SMS kind: the carrier template's id (set it with CASEWORK_SMS_KINDS once the texts are
# registered with the brandname gateway), how many segments it may cost, and whether it
# goes without diacritics. Unaccented GSM-7 keeps a reminder in one 160-character SMS;
# a new task names the action, so it may take two.
SMS_KINDS: dict[str, SmsKind] = {
    "task.new": SmsKind(max_segments=2),
    "deadline.remind": SmsKind(),
    "deadline.warn": SmsKind(),
    "deadline.overdue": SmsKind(),
    "task.declined": SmsKind(),
    "case.emergency": SmsKind(),
    "plan.awaiting_approval": SmsKind(),
    "escalation.new": SmsKind(),
    "case.assigned": SmsKind(),
    "digest.daily": SmsKind(),
    "review.remind": SmsKind(),
    "review.overdue": SmsKind(),
    "review.late": SmsKind(),
    "review.escalated": SmsKind(),
    "report.remind": SmsKind(),
    "report.warn": SmsKind(),
    "report.overdue": SmsKind(),
    "account.activate": SmsKind(max_segments=2),  # the link is long
    "account.reset": SmsKind(max_segments=2),
}
# A village review's messages to its reviewers link to their sheet; the others to the
# commune's page of the review.
REVIEWER_KINDS = frozenset({"review.remind", "review.overdue"})

# A task's own clocks, named for the deadline each is: to accept the task, to finish it.
TASK_CLOCKS: dict[str, tuple[str, str]] = {
    "task_ack": ("Hạn nhận nhiệm vụ", "Deadline to accept the task"),
    "task_due": ("Hạn hoàn thành", "Deadline to finish the task"),
}

# A few words for an SMS ("…, accept the task by 14:30 02/03").
SHORT: dict[str, tuple[str, str]] = {
    "task_ack": ("nhận nhiệm vụ", "accept the task"),
    "task_due": ("hoàn thành nhiệm vụ", "finish the task"),
    "emergency_measures": ("can thiệp khẩn cấp", "emergency measures"),
    "initial_assessment": ("đánh giá ban đầu", "initial assessment"),
    "plan_draft": ("lập kế hoạch", "draft the plan"),
    "plan_approval": ("phê duyệt kế hoạch", "approve the plan"),
    "separation_review": ("đánh giá lại sau cách ly", "reassess the separation"),
    "alternative_care_followup": ("theo dõi chăm sóc thay thế", "alternative-care visit"),
    "monitoring_visit": ("thăm theo dõi", "monitoring visit"),
    "plan_review": ("rà soát kết quả can thiệp", "review the case"),
}
ANY_WORK = ("việc cần làm", "the work")


def sms_kinds(overrides: Mapping[str, Mapping[str, Any]]) -> dict[str, SmsKind]:
    """The built-in table with the operator's overrides (CASEWORK_SMS_KINDS) applied."""
    kinds = dict(SMS_KINDS)
    for kind, fields in overrides.items():
        base = kinds.get(kind, SmsKind())
        kinds[kind] = SmsKind(
            template_id=str(fields.get("template_id", base.template_id)),
            max_segments=int(fields.get("max_segments", base.max_segments)),
            unaccented=bool(fields.get("unaccented", base.unaccented)),
        )
    return kinds


@lru_cache(maxsize=1)
def _deadline_labels() -> dict[str, tuple[str, str]]:
    labels = dict(TASK_CLOCKS)
    for definition in workflow.definitions().values():
        for kind, spec in definition.deadlines.items():
            labels.setdefault(kind, (spec.label.vi, spec.label.en))
    return labels


def _pick(pair: tuple[str, str], language: str) -> str:
    return pair[1] if language == "en" else pair[0]


def when(moment: datetime, language: str) -> tuple[str, str]:
    """A local time, long ("14:30 ngày 02/03/2026") and short ("14:30 02/03")."""
    joiner = " on " if language == "en" else " ngày "
    return f"{moment:%H:%M}{joiner}{moment:%d/%m/%Y}", f"{moment:%H:%M %d/%m}"


def enrich_for(*, public_url: str, tz: ZoneInfo) -> Enrich:
    """The templates' extra values for a message (see the module's docstring)."""
    base = public_url.rstrip("/")

    def values(kind: str, language: str, context: Mapping[str, Any]) -> dict[str, Any]:
        lang: Lang = "en" if language == "en" else "vi"
        code = context.get("case_code")
        # A case's page, or for the digest the agency's task list; both ask for a login.
        out: dict[str, Any] = {"link": f"{base}/ho-so/{code}" if code else f"{base}/nhiem-vu"}
        if context.get("review_id"):
            page = "ra-soat-thon" if kind in REVIEWER_KINDS else "ra-soat"
            out["link"] = f"{base}/{page}/{context['review_id']}"
        if context.get("report_id"):
            out["link"] = f"{base}/bao-cao-dinh-ky/{context['report_id']}"
        if context.get("activation"):  # sealed in the outbox, opened only to send it
            out["link"] = f"{base}/kich-hoat/{activation.token_of(str(context['activation']))}"
            ends = datetime.fromisoformat(str(context["expires_at"])).astimezone(tz)
            out["expires"], out["expires_short"] = when(ends, lang)
        if context.get("due_at"):
            due = datetime.fromisoformat(str(context["due_at"])).astimezone(tz)
            out["due"], out["due_short"] = when(due, lang)
        else:
            out["due"] = out["due_short"] = "—"
        clock = str(context.get("deadline_kind") or "")
        deadline_label = _pick(_deadline_labels().get(clock, (clock, clock)), lang)
        out["deadline_label"] = deadline_label or _pick(ANY_WORK, lang).capitalize()
        out["what"] = context.get("action") or deadline_label
        out["step_short"] = _pick(SHORT.get(clock, ANY_WORK), lang)
        if context.get("reason"):
            out["reason_text"] = label(EscalationReason(str(context["reason"])), lang)
        if context.get("day"):
            day = datetime.fromisoformat(str(context["day"]))
            out["day"], out["day_short"] = f"{day:%d/%m/%Y}", f"{day:%d/%m}"
        if "items" in context:
            out["items"] = [_item(item, lang, tz) for item in context["items"]]
        return out

    return values


def _item(item: Mapping[str, Any], language: Lang, tz: ZoneInfo) -> dict[str, Any]:
    due = datetime.fromisoformat(str(item["due_at"])).astimezone(tz)
    return {**item, "due": when(due, language)[0]}
