"""Nhật ký truy cập: the audit log for the commune's auditor, filtered by person, action,
subject and days, a page at a time, each entry a sentence (``casework.audit.words``), and
exported as CSV through the API's own export (``GET /api/v1/audit/export``, which writes
its own audit entry and keeps the codes, for machines).

Reading the log is itself recorded, with the filters used, as the API records it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session, select

from casework.accounts.auth import write_audit
from casework.accounts.models import User
from casework.audit import service as audit_service
from casework.audit import words
from casework.audit.models import AuditAction, AuditEntry
from casework.audit.schemas import AuditSearch
from casework.audit.service import AuditFilter, Record
from casework.audit.views import filter_detail
from casework.authz.deps import Allowed
from casework.authz.policy import Action
from casework.deps import ReadSessionDep, SettingsDep
from casework.pagination import PageParams, count, page_of
from casework.timefmt import as_utc
from casework.web.i18n import N_, lang_of
from casework.web.pages import render
from casework.web.submit import DateRule, validate

router = APIRouter(include_in_schema=False)
PAGE_SIZE = 50
# What the log's subjects are, in words (others show as they are written).
SUBJECTS = {
    "case": N_("Hồ sơ"),
    "case_list": N_("Danh sách hồ sơ"),
    "task": N_("Nhiệm vụ"),
    "task_list": N_("Danh sách nhiệm vụ"),
    "escalation": N_("Việc cần lãnh đạo xử lý"),
    "escalation_queue": N_("Danh sách việc cần lãnh đạo xử lý"),
    "child_list": N_("Danh sách trẻ em"),
    "dashboard": N_("Trang của tôi"),
    "stats": N_("Số liệu thống kê"),
    "audit_log": N_("Nhật ký truy cập"),
    "user": N_("Người dùng"),
    "agency": N_("Cơ quan"),
    "token": N_("Token API"),
}
DATES = [
    DateRule("since", time=False, required=False),
    DateRule("until", time=False, required=False),
]


def _export_link(filters: AuditFilter) -> str:
    """The API's CSV export with the same filters (times as ISO 8601)."""
    query = {
        name: value.isoformat() if isinstance(value, datetime) else value
        for name, value in filter_detail(filters).items()
    }
    return "/api/v1/audit/export" + (f"?{urlencode(query)}" if query else "")


@router.get("/nhat-ky")
def audit_log(
    request: Request,
    actor: Allowed(Action.audit_read),
    session: ReadSessionDep,
    settings: SettingsDep,
) -> Response:
    """The log of the auditor's commune, newest first, filtered by the GET parameters."""
    sent = validate(
        AuditSearch,
        list(request.query_params.multi_items()),
        tz=settings.tz,
        lang=lang_of(request),
        dates=DATES,
    )
    context: dict[str, Any] = {
        "typed": sent.typed,
        "errors": sent.errors,
        "actions": list(AuditAction),
        "subjects": SUBJECTS,
        "listing": None,
    }
    if sent.data is not None:
        filters = sent.data.filters(settings.tz)
        statement = audit_service.search_statement(actor, filters)
        params = PageParams(page=sent.data.page, page_size=PAGE_SIZE)
        total = count(session, statement)
        rows = session.exec(statement.offset(params.offset).limit(params.page_size)).all()
        people = _people(session, rows)
        lang = lang_of(request)
        shown = [_shown(row, words.describe(row, people, lang)) for row in rows]
        context["listing"] = page_of(shown, total=total, params=params)
        context["export"] = _export_link(filters)
        record = Record(AuditAction.view, "audit_log", None, detail=filter_detail(filters))
        write_audit(request, actor, record, after=session)
    status_code = 422 if sent.errors else 200
    return render(request, "audit/log.html", context, actor=actor, status_code=status_code)


def _people(session: Session, rows: Sequence[AuditEntry]) -> dict[int, words.Person]:
    """The people the entries name (who acted, and accounts acted on), by user id."""
    ids = {row.actor_id for row in rows if row.actor_id is not None}
    ids |= {
        int(row.subject_id)
        for row in rows
        if row.subject_type == "user" and row.subject_id and row.subject_id.isdigit()
    }
    if not ids:
        return {}
    return words.people_of(session.exec(select(User).where(User.id.in_(ids))))  # type: ignore[union-attr]


def _shown(entry: AuditEntry, sentence: words.Sentence) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "at": as_utc(entry.at),
        "username": entry.username,
        "sentence": sentence,
    }
