"""Sổ theo dõi trẻ em có hoàn cảnh đặc biệt in the browser, and merging two records.

``/dang-ky``: the register, filtered and in Vietnamese order, with boxes to pick two
records of the same child; ``/dang-ky/gop``: the two side by side, the record to keep
and, where they differ, whose value to keep; ``/tre-em/{id}/gop``: the records merged
into a child, and for the supervisor the undo. Every page shown and every change is
audited with ids only.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response
from pydantic import BaseModel, ConfigDict, ValidationError
from sqlmodel import select

from casework.accounts.auth import write_audit
from casework.actors import Actor
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz import policy, scopes
from casework.authz.deps import Allowed, ChildAccess, child_for
from casework.authz.policy import Action
from casework.children.models import CircumstanceGroup
from casework.deps import ClockDep, ReadSessionDep, SessionFactoryDep, SettingsDep
from casework.errors import CaseworkError, FieldError, InvalidInput
from casework.pagination import PageParams
from casework.registry import listing
from casework.registry import merge as merge_service
from casework.registry.models import ChildMerge, SupportKind
from casework.registry.register_schemas import (
    MergeIn,
    RegisterFilter,
    ReviewFilter,
    SupportFilter,
)
from casework.registry.register_views import listed, merged, unmerged
from casework.schemas_common import Id
from casework.web.forms import FormErrors, nest
from casework.web.i18n import lang_of
from casework.web.pages import redirect, render
from casework.web.submit import FormItems

router = APIRouter(include_in_schema=False)


class MergeForm(BaseModel):
    """The compare page's form: the two records as compared, the one kept, the values."""

    model_config = ConfigDict(extra="ignore")

    first_id: Id
    second_id: Id
    first_version: int
    second_version: int
    keep_id: Id
    take: dict[str, Id] = {}

    def merge_in(self) -> MergeIn:
        other = self.second_id if self.keep_id == self.first_id else self.first_id
        versions = {self.first_id: self.first_version, self.second_id: self.second_version}
        return MergeIn(
            keep_id=self.keep_id,
            other_id=other,
            keep_version=versions.get(self.keep_id, 0),
            other_version=versions[other],
            take=self.take,
        )


def page_numbers(page: int, pages: int) -> list[int]:
    """The page links shown: the first, the last and two either side of this one (a
    commune's register can run to hundreds of pages)."""
    near = range(max(1, page - 2), min(pages, page + 2) + 1)
    return sorted({1, pages, *near})


@router.get("/dang-ky", response_class=HTMLResponse)
def register_page(
    request: Request,
    actor: Allowed(Action.child_list),
    session: ReadSessionDep,
    params: Annotated[PageParams, Depends()],
    chosen: Annotated[RegisterFilter, Query()],
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Sổ theo dõi trẻ em có hoàn cảnh đặc biệt: filters, the list, pick two to merge."""
    villages = listing.villages(session, commune_id=actor.commune_id)
    found = listed(
        request, actor, session, chosen=chosen, params=params, clock=clock, settings=settings
    )
    return render(
        request,
        "registry/register.html",
        {
            "found": found,
            "chosen": chosen,
            "query": chosen.query(),
            "page_numbers": page_numbers(found.page, found.pages),
            "villages": villages,
            "groups": list(CircumstanceGroup),
            "supports": [*SupportFilter, *SupportKind],
            "reviews": list(ReviewFilter),
        },
        actor=actor,
    )


def _compare_page(
    request: Request,
    actor: Actor,
    factory: SessionFactoryDep,
    first_id: int,
    second_id: int,
    *,
    typed: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    status_code: int = 200,
) -> Response:
    with factory() as session:
        compared = merge_service.compare(
            session, scope=scopes.visible_children(actor), first_id=first_id, second_id=second_id
        )
    records = [
        Record(AuditAction.view, "child_merge", str(child_id), detail={"with": other})
        for child_id, other in ((first_id, second_id), (second_id, first_id))
    ]
    write_audit(request, actor, records)
    return render(
        request,
        "registry/merge.html",
        {
            "compared": compared,
            "fields": list(merge_service.FIELDS),
            "typed": typed or {},
            "errors": errors or FormErrors(),
        },
        actor=actor,
        status_code=status_code,
    )


@router.get("/dang-ky/gop", response_class=HTMLResponse)
def compare_page(
    request: Request,
    actor: Allowed(Action.child_merge),
    factory: SessionFactoryDep,
    child: Annotated[list[Id], Query(alias="id")] = [],  # noqa: B006  (FastAPI's own copy)
) -> Response:
    """Two records side by side, to merge them: which to keep, and whose values."""
    if len(child) != 2:
        raise InvalidInput([FieldError(("id",), "merge_pick_two", source="query")])
    return _compare_page(request, actor, factory, child[0], child[1])


@router.post("/dang-ky/gop", response_class=HTMLResponse)
def merge_page(
    request: Request,
    actor: Allowed(Action.child_merge),
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Gộp: the kept record gets the chosen values and everything pointing at the other."""
    lang = lang_of(request)
    typed = {name: value for name, value in form if name != "csrf_token"}
    try:
        sent = MergeForm.model_validate(nest(form, tz=settings.tz))
    except ValidationError as refused:
        raise InvalidInput([FieldError((), "merge_form")]) from refused
    try:
        done = merged(request, actor, factory, clock, sent.merge_in())
    except (CaseworkError, ValidationError) as refused:
        errors = FormErrors.from_exception(refused, lang, fallback="keep_id")
        status = refused.status_code if isinstance(refused, CaseworkError) else 422
        return _compare_page(
            request,
            actor,
            factory,
            sent.first_id,
            sent.second_id,
            typed=typed,
            errors=errors,
            status_code=status,
        )
    return redirect(f"/tre-em/{done.kept_id}/gop?done=merged")


@router.get("/tre-em/{child_id}/gop", response_class=HTMLResponse)
def merges_page(
    request: Request,
    access: Annotated[ChildAccess, child_for(Action.child_list)],
    session: ReadSessionDep,
    done: str | None = None,
) -> Response:
    """The records merged into this child (what moved), with the supervisor's undo."""
    rows = session.exec(
        select(ChildMerge)
        .where(ChildMerge.kept_id == access.id, ChildMerge.undone_at.is_(None))
        .order_by(ChildMerge.merged_at.desc(), ChildMerge.id.desc())
    ).all()
    merges = [
        {"id": m.id, "merged_id": m.merged_id, "at": m.merged_at, "moved": m.moved} for m in rows
    ]
    detail = {"merges": [m["id"] for m in merges]}
    write_audit(
        request,
        access.actor,
        Record(AuditAction.view, "child_merges", str(access.id), detail=detail),
        after=session,
    )
    return render(
        request,
        "registry/merges.html",
        {
            "child_id": access.id,
            "merges": merges,
            "may_undo": policy.gate(access.actor, Action.child_merge_undo).allowed,
            "done": done,
        },
        actor=access.actor,
    )


@router.post("/tre-em/{child_id}/hoan-tac-gop", response_class=HTMLResponse)
def undo_page(
    request: Request,
    access: Annotated[ChildAccess, child_for(Action.child_merge_undo)],
    factory: SessionFactoryDep,
    clock: ClockDep,
) -> Response:
    """Hoàn tác: both records as they were, and exactly what moved back (the supervisor)."""
    done = unmerged(request, access, factory, clock)
    return redirect(f"/tre-em/{done.merged_id}?done=unmerged")
