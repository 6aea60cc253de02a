"""/api/v1/children: search the commune's children, register one without a report, read
and correct a record (the commune's caseworkers and supervisor)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, Response
from sqlmodel import Session

from casework.accounts.auth import origin_of, write_audit
from casework.actors import Actor
from casework.api_docs import errors
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz import scopes
from casework.authz.deps import Allowed, ChildAccess, child_for
from casework.authz.policy import Action
from casework.children import editing
from casework.children import service as child_service
from casework.children.editing_schemas import (
    ChildPatch,
    ChildRecord,
    ChildRegister,
    DuplicateConflict,
    EditConflict,
)
from casework.children.models import Child
from casework.children.schemas import ChildSummary
from casework.db import run_in_transaction
from casework.deps import ClockDep, ReadSessionDep, SessionFactoryDep, SettingsDep
from casework.errors import error_body
from casework.pagination import Page, PageParams

router = APIRouter(prefix="/api/v1", tags=["children"])


@router.get("/children", response_model=Page[ChildSummary], responses=errors(401, 404, 422))
def list_children(
    request: Request,
    actor: Allowed(Action.child_list),
    session: ReadSessionDep,
    params: Annotated[PageParams, Depends()],
    q: Annotated[
        str | None, Query(description="Tên (không cần dấu) hoặc số định danh / name or id")
    ] = None,
    commune: Annotated[str | None, Query(description="Mã xã / commune code")] = None,
) -> Page[ChildSummary]:
    """Children by name (diacritics and case ignored) or personal id."""
    return listed(request, actor, session, q=q, commune=commune, params=params)


def listed(
    request: Request,
    actor: Actor,
    session: Session,
    *,
    q: str | None,
    params: PageParams,
    commune: str | None = None,
) -> Page[ChildSummary]:
    """The children ``actor`` may see matching ``q``, with the audit entry of what was shown
    (their ids, never the words searched: a search word can be a name). The API, the
    children list and the intake form's suggestions all list children this way."""
    page = child_service.search(
        session, scope=scopes.visible_children(actor), commune_code=commune, q=q, params=params
    )
    shown(request, actor, page.items, searched=bool(q), after=session)
    return page


def shown(
    request: Request,
    actor: Actor,
    children: list[ChildSummary],
    *,
    searched: bool,
    after: Session | None = None,
) -> None:
    """The audit entry of a list of children shown (a search, or possible duplicates)."""
    detail = {"children": [child.id for child in children], "searched": searched}
    write_audit(
        request, actor, Record(AuditAction.view, "child_list", None, detail=detail), after=after
    )


def _duplicates_response(
    request: Request, actor: Actor, refused: editing.PossibleDuplicates
) -> JSONResponse:
    """409 with the children who may be this one; showing them is a read of the register."""
    shown(request, actor, refused.candidates, searched=False)
    body = error_body(request, refused.errors())
    body["candidates"] = [c.model_dump(mode="json") for c in refused.candidates]
    return JSONResponse(body, status_code=409)


def _changed_response(request: Request, refused: editing.ChildChanged) -> JSONResponse:
    change = refused.change
    body = error_body(request, refused.errors())
    body |= {
        "current_version": change.version,
        "changed_by": change.who,
        "changed_at": change.at.isoformat(),
        "changed_fields": change.fields,
    }
    return JSONResponse(body, status_code=409)


@router.post(
    "/children",
    status_code=201,
    response_model=ChildRecord,
    responses={**errors(401, 404, 422), 409: {"model": DuplicateConflict}},
    summary="Đăng ký trẻ không qua báo cáo / register a child without a report",
)
def register_child(
    request: Request,
    actor: Allowed(Action.child_register),
    data: ChildRegister,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Register a child of one's own commune, with the rules of intake. A child of the same
    name (diacritics ignored) and a birth year within one already in the commune's register
    answers 409 with those children, until ``confirm_not_duplicate`` is true."""

    def work(session: Session) -> ChildRecord:
        child = editing.register_child(
            session, actor, data=data, origin=origin_of(request), now=clock.now(), tz=settings.tz
        )
        return editing.record(session, child)

    try:
        created = run_in_transaction(factory, work)
    except editing.PossibleDuplicates as refused:
        return _duplicates_response(request, actor, refused)
    return JSONResponse(
        created.model_dump(mode="json"),
        status_code=201,
        headers={"Location": f"/api/v1/children/{created.id}"},
    )


@router.get("/children/{child_id}", response_model=ChildRecord, responses=errors(401, 404, 422))
def child_record(
    request: Request,
    access: Annotated[ChildAccess, child_for(Action.child_list)],
    session: ReadSessionDep,
) -> ChildRecord:
    """A child's record and its ``version`` (send it back to correct the record)."""
    found = editing.record(session, session.get_one(Child, access.id))
    write_audit(
        request,
        access.actor,
        Record(AuditAction.view, "child", str(access.id), detail={"view": "record"}),
        after=session,
    )
    return found


@router.patch(
    "/children/{child_id}",
    response_model=ChildRecord,
    responses={**errors(401, 404, 422), 409: {"model": EditConflict}},
    summary="Sửa thông tin trẻ / correct a child's record",
)
def edit_child(
    request: Request,
    access: Annotated[ChildAccess, child_for(Action.child_edit)],
    patch: ChildPatch,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Change the fields sent, judged with the rest of the record by the rules of intake.
    409 with the current version, who changed the record and when, if ``version`` is not
    the record's: nothing is saved (the child and the caregivers change together)."""

    def work(session: Session) -> ChildRecord:
        child = editing.edit_child(
            session,
            access.actor,
            child_id=access.id,
            patch=patch,
            origin=origin_of(request),
            now=clock.now(),
            tz=settings.tz,
        )
        return editing.record(session, child)

    try:
        changed = run_in_transaction(factory, work)
    except editing.ChildChanged as refused:
        return _changed_response(request, refused)
    return JSONResponse(changed.model_dump(mode="json"))
