"""Quản trị › Người dùng › one account's e-mail and phone, which the administrator puts
right (a mistyped address would swallow the activation link). Audited; the account page
itself is ``admin.pages``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from casework.admin import service as admin_service
from casework.admin.pages import UserDep, submitted, user_page_again
from casework.admin.schemas import AgencyContact
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.deps import ClockDep, SessionFactoryDep, SettingsDep
from casework.web.i18n import lang_of
from casework.web.submit import FormItems, validate

router = APIRouter(include_in_schema=False)


@router.post("/quan-tri/nguoi-dung/{user_id}/lien-he")
def save_contact(
    request: Request,
    access: UserDep,
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Save the person's e-mail and phone, or the page again naming what is wrong."""
    sent = validate(AgencyContact, form, tz=settings.tz, lang=lang_of(request))

    def work(session: Session, data: AgencyContact) -> Record:
        admin_service.set_person_contact(session, user_id=access.id, contact=data)
        detail = {"change": "contact"}
        return Record(AuditAction.account, "user", str(access.id), detail=detail)

    return submitted(
request, factory, clock, access.actor, sent, work, fallback="email",
                     done=f"/quan-tri/nguoi-dung/{access.id}?done=person_contact",
                     again=user_page_again(request, access, sent.typed))  # fmt: skip
