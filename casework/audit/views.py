"""The audit log for auditors: read and filter it, export it as CSV (both audited too)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from sqlmodel import select

from casework.accounts.auth import write_audit
from casework.accounts.models import User
from casework.actors import Actor
from casework.api_docs import errors
from casework.audit import service as audit_service
from casework.audit import words
from casework.audit.models import AuditAction, AuditEntry
from casework.audit.schemas import AuditEntryRead
from casework.audit.service import AuditFilter, Record
from casework.authz.deps import Allowed
from casework.authz.policy import Action
from casework.base import Lang
from casework.deps import ReadSessionDep, SettingsDep
from casework.pagination import Page, PageParams, count, pages
from casework.schemas_common import Id, Moment
from casework.timefmt import as_utc, to_local
from casework.web.i18n import lang_of

router = APIRouter(prefix="/api/v1/audit", tags=["audit"])
EXPORT_LIMIT = 100_000


def audit_filter(
    actor_id: Annotated[Id | None, Query(description="Người thực hiện / actor id")] = None,
    username: Annotated[str | None, Query(description="Tên đăng nhập / username")] = None,
    action: Annotated[AuditAction | None, Query(description="Loại thao tác / action")] = None,
    subject_type: Annotated[str | None, Query(description="case, task, user, …")] = None,
    subject_id: Annotated[str | None, Query(description="Mã hồ sơ, mã nhiệm vụ … / id")] = None,
    since: Annotated[Moment | None, Query(description="Từ (ISO 8601)")] = None,
    until: Annotated[Moment | None, Query(description="Đến, không gồm (ISO 8601)")] = None,
) -> AuditFilter:
    return AuditFilter(actor_id, username, action, subject_type, subject_id, since, until)


FilterDep = Annotated[AuditFilter, Depends(audit_filter)]


def _read(entry: AuditEntry, settings_tz) -> AuditEntryRead:  # type: ignore[no-untyped-def]
    read = AuditEntryRead.model_validate(entry, from_attributes=True)
    return read.model_copy(update={"at": to_local(as_utc(entry.at), settings_tz)})


def filter_detail(filters: AuditFilter) -> dict[str, object]:
    return {
        k: (v.isoformat() if isinstance(v, datetime) else v)
        for k, v in vars(filters).items()
        if v is not None
    }


@router.get("", response_model=Page[AuditEntryRead], responses=errors(401, 404, 422))
def read_log(
    request: Request,
    actor: Allowed(Action.audit_read),
    session: ReadSessionDep,
    settings: SettingsDep,
    filters: FilterDep,
    params: Annotated[PageParams, Depends()],
) -> Page[AuditEntryRead]:
    """Entries of the auditor's commune (and failed logins), newest first."""
    statement = audit_service.search_statement(actor, filters)
    total = count(session, statement)
    rows = session.exec(statement.offset(params.offset).limit(params.page_size)).all()
    items = [_read(row, settings.tz) for row in rows]
    record = Record(AuditAction.view, "audit_log", None, detail=filter_detail(filters))
    write_audit(request, actor, record, after=session)
    return Page[AuditEntryRead](
        items=items,
        total=total,
        page=params.page,
        page_size=params.page_size,
        pages=pages(total, params.page_size),
    )


COLUMNS = (
    "seq",
    "at",
    "actor_id",
    "username",
    "role",
    "token_id",
    "action",
    "subject_type",
    "subject_id",
    "outcome",
    "ip",
    "user_agent",
    "detail",
    "prev_hash",
    "hash",
    "description",  # the entry in words, as the page shows it; the columns above are the codes
)


def _csv(actor: Actor, filters: AuditFilter, factory, tz, lang: Lang) -> Iterator[str]:  # type: ignore[no-untyped-def]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    with factory() as session:
        people = words.people_of(
            session.exec(select(User).where(User.commune_id == actor.commune_id))
        )
        statement = audit_service.search_statement(actor, filters).limit(EXPORT_LIMIT)
        for entry in session.exec(statement).yield_per(1000):
            values = {column: getattr(entry, column, None) for column in COLUMNS}
            values["at"] = to_local(as_utc(entry.at), tz).isoformat()
            values["detail"] = json.dumps(entry.detail, ensure_ascii=False, sort_keys=True)
            values["description"] = words.describe(entry, people, lang).line()
            writer.writerow(values[column] for column in COLUMNS)
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()


@router.get("/export", response_class=StreamingResponse, responses=errors(401, 404, 422))
def export_log(
    request: Request,
    actor: Allowed(Action.audit_export),
    settings: SettingsDep,
    filters: FilterDep,
) -> StreamingResponse:
    """The filtered entries as CSV (UTF-8), with each entry's hashes for checking."""
    write_audit(
        request, actor, Record(AuditAction.export, "audit_log", None, detail=filter_detail(filters))
    )
    return StreamingResponse(
        _csv(actor, filters, request.app.state.session_factory, settings.tz, lang_of(request)),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="nhat-ky-kiem-tra.csv"'},
    )
