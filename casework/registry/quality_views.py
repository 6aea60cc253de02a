"""The data-quality list (Đề án 06) and the Excel exports: API, page and downloads.

``GET /api/v1/registry/data-quality`` and the page ``/dang-ky/chat-luong-du-lieu`` list
the commune's records to clean, with counts per village and per problem; the two
``xuat-excel`` downloads give the register and that list as workbooks marked MẬT.
Only the commune's caseworkers and supervisor (the policy's ``registry.data_quality``
and ``registry.export``). Every list shown is audited with the children's ids; every
export with its filters and row count, never a name.
"""

from __future__ import annotations

import os
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, Response
from sqlmodel import Session
from starlette.background import BackgroundTask

from casework.accounts.auth import write_audit
from casework.actors import Actor
from casework.api_docs import errors
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz import policy, scopes
from casework.authz.deps import Allowed
from casework.authz.policy import Action
from casework.deps import ClockDep, ReadSessionDep, SettingsDep
from casework.pagination import PageParams
from casework.registry import export
from casework.registry import quality as quality_service
from casework.registry.quality import Filters, Listing, Problem
from casework.registry.quality_schemas import DataQualityRead
from casework.web.i18n import lang_of
from casework.web.pages import render

api = APIRouter(prefix="/api/v1/registry", tags=["registry"])
pages = APIRouter(include_in_schema=False)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filters(
    village: Annotated[int | None, Query(ge=1, le=2_147_483_647, description="Mã thôn")] = None,
    problem: Annotated[Problem | None, Query(description="Vấn đề / problem")] = None,
) -> Filters:
    return Filters(village_id=village, problem=problem)


FiltersDep = Annotated[Filters, Depends(_filters)]


def _listed(
    request: Request, actor: Actor, session: Session, filters: Filters, params: PageParams
) -> Listing:
    """The list and its counts, audited (the children shown by id, and the filters)."""
    found = quality_service.listing(
        session,
        scope=scopes.visible_children(actor),
        filters=filters,
        params=params,
        commune_id=actor.commune_id,
        lang=lang_of(request),
    )
    detail = {"children": [row.child_id for row in found.page.items], **filters.detail()}
    record = Record(AuditAction.view, "data_quality", None, detail=detail)
    write_audit(request, actor, record, after=session)
    return found


@api.get("/data-quality", response_model=DataQualityRead, responses=errors(401, 404, 422))
def data_quality(
    request: Request,
    actor: Allowed(Action.data_quality),
    session: ReadSessionDep,
    filters: FiltersDep,
    params: Annotated[PageParams, Depends()],
) -> DataQualityRead:
    """Records to clean (no or wrong personal id, missing basic data), per village."""
    found = _listed(request, actor, session, filters, params)
    return DataQualityRead.of(found, lang_of(request))


@pages.get("/dang-ky/chat-luong-du-lieu", response_class=HTMLResponse)
def data_quality_page(
    request: Request,
    actor: Allowed(Action.data_quality),
    session: ReadSessionDep,
    filters: FiltersDep,
    params: Annotated[PageParams, Depends()],
) -> Response:
    """Rà soát, làm sạch dữ liệu trẻ em: the counts and the records to fix."""
    found = _listed(request, actor, session, filters, params)
    return render(
        request,
        "registry/data_quality.html",
        {
            "found": found,
            "filters": filters,
            "problems": list(Problem),
            "can_clean": policy.gate(actor, Action.cleaning_manage).allowed,
        },
        actor=actor,
    )


def _download(
    request: Request, actor: Actor, written: export.Written, subject: str, **detail: object
) -> Response:
    """Audit the export (what, filters, rows; never a name), then send and delete it."""
    try:
        write_audit(
            request,
            actor,
            Record(AuditAction.export, subject, None, detail={**detail, "rows": written.rows}),
        )
    except BaseException:
        os.unlink(written.path)
        raise
    stamp = request.app.state.clock.now().strftime("%Y%m%d")
    return FileResponse(
        written.path,
        media_type=XLSX,
        filename=f"{subject.replace('_', '-')}-{stamp}.xlsx",
        background=BackgroundTask(os.unlink, written.path),
    )


@pages.get("/dang-ky/xuat-excel")
def export_register(
    request: Request,
    actor: Allowed(Action.registry_export),
    session: ReadSessionDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """The register as an Excel workbook, marked MẬT, for the national system."""
    written = export.export_register(session, actor, now=clock.now(), tz=settings.tz)
    session.close()
    return _download(request, actor, written, "registry")


@pages.get("/dang-ky/chat-luong-du-lieu/xuat-excel")
def export_data_quality(
    request: Request,
    actor: Allowed(Action.registry_export),
    session: ReadSessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    filters: FiltersDep,
) -> Response:
    """The records to clean as an Excel workbook, filtered as on the page."""
    written = export.export_quality(
        session, actor, filters=filters, now=clock.now(), tz=settings.tz
    )
    session.close()
    return _download(request, actor, written, "data_quality", **filters.detail())
