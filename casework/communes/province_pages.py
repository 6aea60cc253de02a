"""Quản trị cấp tỉnh (``/tinh``): the province's communes from the official list, added one
by one or all at once, how far each one's set-up has gone, and the commune the province
administrator chooses to work in (then ``/quan-tri`` is that commune's administration).
Each change is audited in its own transaction, as the commune's administration is."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from casework.accounts.auth import WORKING_IN, write_audit
from casework.actors import Actor
from casework.admin.pages import changed, submitted
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz.deps import Allowed, commune_for
from casework.authz.policy import Action
from casework.communes import province
from casework.communes.schemas import CommuneAdd
from casework.deps import ClockDep, ReadSessionDep, SessionFactoryDep, SettingsDep
from casework.web.forms import FormErrors
from casework.web.i18n import N_, lang_of
from casework.web.pages import redirect, render
from casework.web.submit import FormItems, validate

router = APIRouter(include_in_schema=False)
ProvinceAdmin = Allowed(Action.province_manage)
CommuneDep = commune_for(Action.province_manage)
HOME = "/tinh"
DONE = {
    "added": N_("Đã thêm xã, phường cùng các cơ quan của xã. Chọn “Làm việc với xã này” để "
                "thêm thôn, trường học và người dùng."),
    "all": N_("Đã thêm các xã, phường còn lại của tỉnh cùng các cơ quan của từng xã."),
}  # fmt: skip


def _page(
    request: Request,
    actor: Actor,
    session: Session,
    *,
    typed: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    context = {
        "province": province.province_of(actor),
        "communes": province.communes(session, actor),
        "addable": province.not_added(session, actor),
        "working_in": actor.commune_id,
        "typed": typed or {},
        "errors": errors or FormErrors(),
        "notice": notice,
    }
    return render(request, "communes/province.html", context, actor=actor, status_code=status_code)


@router.get(HOME)
def province_page(
    request: Request, actor: ProvinceAdmin, session: ReadSessionDep, done: str | None = None
) -> Response:
    """The province's communes set up so far, and the official ones still to add."""
    response = _page(request, actor, session, notice=DONE.get(done or ""))
    write_audit(request, actor, Record(AuditAction.view, "province", None), after=session)
    return response


@router.post(HOME + "/xa")
def add_commune(
    request: Request,
    actor: ProvinceAdmin,
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """One commune picked from the official list, with its standard agencies."""
    sent = validate(CommuneAdd, form, tz=settings.tz, lang=lang_of(request), choices=("code",))

    def work(session: Session, data: CommuneAdd) -> Record:
        added = province.add(session, actor, code=data.code,
                             case_prefix=data.case_prefix or None, now=clock.now())  # fmt: skip
        return Record(AuditAction.create, "commune", str(added.id), detail={"code": added.code})

    return submitted(
        request, factory, clock, actor, sent, work,
        fallback="code", done=f"{HOME}?done=added",
        again=lambda session, errors, status: _page(
            request, actor, session, typed=sent.typed, errors=errors, status_code=status
        ),
    )  # fmt: skip


@router.post(HOME + "/tat-ca")
def add_all(
    request: Request, actor: ProvinceAdmin, factory: SessionFactoryDep, clock: ClockDep
) -> Response:
    """Every commune of the province not set up yet, each with its agencies."""

    def work(session: Session) -> Record:
        added = province.add_all(session, actor, now=clock.now())
        detail = {"codes": [commune.code for commune in added]}
        return Record(AuditAction.create, "commune", None, detail=detail)

    return changed(
        request, factory, clock, actor, work, done=lambda: f"{HOME}?done=all",
        again=lambda session, errors, status: _page(
            request, actor, session, errors=errors, status_code=status
        ),
    )  # fmt: skip


@router.post(HOME + "/xa/{commune_id}/lam-viec")
def work_in(request: Request, chosen: CommuneDep) -> Response:
    """Work in this commune: the administration pages now act on it."""
    request.session[WORKING_IN] = chosen.id
    detail = {"working_in": chosen.id}
    write_audit(request, chosen.actor, Record(AuditAction.update, "commune", str(chosen.id),
                                              detail=detail))  # fmt: skip
    return redirect("/quan-tri")
