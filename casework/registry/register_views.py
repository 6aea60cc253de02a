"""The register through the API: the list with its filters, merging two records of one
child, and the supervisor's undo. Every answer is audited with ids only (never a name or
the words searched)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from sqlmodel import Session

from casework.accounts.auth import origin_of, write_audit
from casework.actors import Actor
from casework.api_docs import errors
from casework.audit import service as audit_service
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz import scopes
from casework.authz.deps import Allowed, ChildAccess, child_for
from casework.authz.policy import Action
from casework.clock import Clock
from casework.config import Settings
from casework.db import run_in_transaction
from casework.deps import ClockDep, ReadSessionDep, SessionFactoryDep, SettingsDep
from casework.pagination import Page, PageParams
from casework.registry import listing
from casework.registry import merge as merge_service
from casework.registry.models import ChildMerge
from casework.registry.register_schemas import MergeIn, MergeRead, RegisterFilter, RegisterRow
from casework.timefmt import local_date

router = APIRouter(prefix="/api/v1/registry", tags=["registry"])


def listed(
    request: Request,
    actor: Actor,
    session: Session,
    *,
    chosen: RegisterFilter,
    params: PageParams,
    clock: Clock,
    settings: Settings,
) -> Page[RegisterRow]:
    """The register page ``actor`` may see, and the audit entry of the children shown."""
    page = listing.register(
        session,
        scope=scopes.visible_children(actor),
        chosen=chosen,
        params=params,
        today=local_date(clock.now(), settings.tz),
    )
    detail = {"children": [row.id for row in page.items], "searched": chosen.searched}
    write_audit(
        request,
        actor,
        Record(AuditAction.view, "registry_list", None, detail=detail),
        after=session,
    )
    return page


def _merge_record(merge: ChildMerge, action: str) -> Record:
    detail = {"action": action, "merge": merge.id, "merged": merge.merged_id, "moved": merge.moved}
    return Record(AuditAction.update, "child", str(merge.kept_id), detail=detail)


def _read(merge: ChildMerge) -> MergeRead:
    return MergeRead(
        id=merge.id,
        kept_id=merge.kept_id,
        merged_id=merge.merged_id,
        moved=merge.moved,
        undone=merge.undone_at is not None,
    )


def merged(
    request: Request, actor: Actor, factory: SessionFactoryDep, clock: Clock, data: MergeIn
) -> MergeRead:
    """Merge two records and write its audit entry, in one transaction."""

    def work(session: Session) -> MergeRead:
        now = clock.now()
        done = merge_service.merge(
            session, actor, scope=scopes.visible_children(actor), data=data, now=now
        )
        record = _merge_record(done, "merge")
        audit_service.append(session, actor, record, origin=origin_of(request), now=now)
        return _read(done)

    return run_in_transaction(factory, work)


def unmerged(
    request: Request, access: ChildAccess, factory: SessionFactoryDep, clock: Clock
) -> MergeRead:
    """Undo the merge of the record ``access`` names and write its audit entry."""
    actor = access.actor

    def work(session: Session) -> MergeRead:
        now = clock.now()
        done = merge_service.undo(
            session, actor, scope=scopes.visible_children(actor), child_id=access.id, now=now
        )
        record = _merge_record(done, "merge_undo")
        audit_service.append(session, actor, record, origin=origin_of(request), now=now)
        return _read(done)

    return run_in_transaction(factory, work)


@router.get("/children", response_model=Page[RegisterRow], responses=errors(401, 404, 422))
def register_list(
    request: Request,
    actor: Allowed(Action.child_list),
    session: ReadSessionDep,
    params: Annotated[PageParams, Depends()],
    chosen: Annotated[RegisterFilter, Query()],
    clock: ClockDep,
    settings: SettingsDep,
) -> Page[RegisterRow]:
    """Sổ theo dõi trẻ em có hoàn cảnh đặc biệt: the commune's children with the groups
    they are in today, by village, group (or at risk), age, support; in Vietnamese order."""
    return listed(
        request, actor, session, chosen=chosen, params=params, clock=clock, settings=settings
    )


@router.post(
    "/merges", response_model=MergeRead, status_code=201, responses=errors(401, 404, 409, 422)
)
def merge_records(
    request: Request,
    actor: Allowed(Action.child_merge),
    data: MergeIn,
    factory: SessionFactoryDep,
    clock: ClockDep,
) -> MergeRead:
    """Merge two records of the same child: ``other_id`` into ``keep_id``."""
    return merged(request, actor, factory, clock, data)


@router.post(
    "/children/{child_id}/unmerge",
    response_model=MergeRead,
    responses=errors(401, 403, 404, 409),
)
def unmerge_record(
    request: Request,
    access: Annotated[ChildAccess, child_for(Action.child_merge_undo)],
    factory: SessionFactoryDep,
    clock: ClockDep,
) -> MergeRead:
    """Undo the merge of this record (the one merged away): the supervisor only."""
    return unmerged(request, access, factory, clock)
