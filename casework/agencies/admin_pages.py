"""Quản trị › Cơ quan: add a school, retire an agency or bring it back (the administrator;
``agencies.setup``), each change audited in its own transaction. The list and the contact
form are in ``admin.pages``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from casework.admin.pages import (
    AdminDep,
    AgencyDep,
    agencies_page,
    changed,
    submitted,
)
from casework.admin.schemas import SchoolIn
from casework.agencies import setup
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz.deps import Administered
from casework.deps import ClockDep, SessionFactoryDep, SettingsDep
from casework.web.i18n import lang_of
from casework.web.submit import FormItems, validate

router = APIRouter(include_in_schema=False)


@router.post("/quan-tri/co-quan/truong-hoc")
def add_school(
    request: Request,
    actor: AdminDep,
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Add one of the commune's schools; a name it has already is refused."""
    sent = validate(SchoolIn, form, tz=settings.tz, lang=lang_of(request))

    def work(session: Session, data: SchoolIn) -> Record:
        assert actor.commune_id is not None
        school = setup.add_school(session, commune_id=actor.commune_id, name=data.school)
        return Record(AuditAction.create, "agency", str(school.id), detail={"kind": "school"})

    return submitted(
        request, factory, clock, actor, sent, work,
        fallback="school", done="/quan-tri/co-quan?done=school",
        again=lambda session, errors, status: agencies_page(
            request, actor, session, typed=sent.typed, errors=errors, status_code=status
        ),
    )  # fmt: skip


def _set_active(
    request: Request,
    access: Administered,
    factory: SessionFactoryDep,
    clock: ClockDep,
    active: bool,
) -> Response:
    agency_id, actor = access.id, access.actor

    def work(session: Session) -> Record:
        setup.set_active(session, agency_id=agency_id, active=active)
        change = "agency_reactivated" if active else "agency_retired"
        return Record(AuditAction.update, "agency", str(agency_id), detail={"change": change})

    done = "/quan-tri/co-quan?done=" + ("reactivated" if active else "retired")
    return changed(
        request, factory, clock, actor, work, done=lambda: done,
        again=lambda session, errors, status: agencies_page(
            request, actor, session, errors=errors, status_code=status
        ),
    )  # fmt: skip


@router.post("/quan-tri/co-quan/{agency_id}/ngung")
def retire(
    request: Request, access: AgencyDep, factory: SessionFactoryDep, clock: ClockDep
) -> Response:
    """Retire the agency: no new tasks; its history stays."""
    return _set_active(request, access, factory, clock, active=False)


@router.post("/quan-tri/co-quan/{agency_id}/hoat-dong")
def reactivate(
    request: Request, access: AgencyDep, factory: SessionFactoryDep, clock: ClockDep
) -> Response:
    """Bring a retired agency back."""
    return _set_active(request, access, factory, clock, active=True)
