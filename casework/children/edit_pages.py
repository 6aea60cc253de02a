"""The children register's forms: register a child without a report ("Đăng ký trẻ",
``/tre-em/moi``) and correct a child's record (``/tre-em/{id}/sua``).

Plain HTML forms (they work without JavaScript), judged by the API's own schemas, rules and
services (``casework.children.editing``). A possible duplicate brings the form back with
the children it may be, each a link, and a button "Đây là trẻ khác, vẫn đăng ký"; a
correction made on an older version comes back with what was typed, who changed the record
and when, and the version now seen, so sending it again is a knowing choice.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from casework.accounts.auth import origin_of, write_audit
from casework.actors import Actor
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz.deps import Allowed, ChildAccess, child_for
from casework.authz.policy import Action
from casework.base import Lang
from casework.children import editing
from casework.children import form as child_form
from casework.children.editing_schemas import ChildPatch, ChildRegister
from casework.children.models import Child, DisabilityLevel, PovertyStatus
from casework.children.schemas import ChildFields
from casework.children.views import shown
from casework.db import run_in_transaction
from casework.deps import ClockDep, SessionFactoryDep, SettingsDep
from casework.errors import InvalidInput, describe
from casework.intake.service import form_places
from casework.timefmt import local_date
from casework.web import i18n
from casework.web.pages import redirect, render

router = APIRouter(include_in_schema=False)
Registrar = Allowed(Action.child_register)


async def _posted(request: Request) -> list[tuple[str, str]]:
    form = await request.form()
    return [(name, value) for name, value in form.multi_items() if isinstance(value, str)]


Posted = Annotated[list[tuple[str, str]], Depends(_posted)]


def _rows_changed(typed: child_form.Typed) -> child_form.Typed | None:
    """The form with a caregiver row added or removed, when that is what was asked."""
    if typed.action == child_form.ADD_CAREGIVER:
        return typed.added_row()
    name, _, row = typed.action.partition(".")
    if name == child_form.REMOVE_CAREGIVER and row.isdigit():
        return typed.without_row(int(row))
    return None


@router.get("/tre-em/moi", response_class=HTMLResponse)
def new_child(request: Request, actor: Registrar, factory: SessionFactoryDep) -> Response:
    """The form to register a child of the commune without a report."""
    return _form(request, actor, factory, child_form.Typed.blank())


@router.post("/tre-em/moi", response_class=HTMLResponse)
def register_child(
    request: Request,
    actor: Registrar,
    posted: Posted,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Register the child, or show the children they may be, or what to correct."""
    typed = child_form.Typed.of(posted)
    if (changed := _rows_changed(typed)) is not None:
        return _form(request, actor, factory, changed)
    typed = typed.compacted()
    lang, now = i18n.lang_of(request), clock.now()
    try:
        data = child_form.parse(
            typed,
            ChildRegister,
            today=local_date(now, settings.tz),
            tz=settings.tz,
            lang=lang,
            confirm_not_duplicate=typed.confirmed,
        )
        child = run_in_transaction(
            factory,
            lambda session: editing.register_child(
                session, actor, data=data, origin=origin_of(request), now=now, tz=settings.tz
            ),
        )
    except (child_form.FormInvalid, InvalidInput) as refused:
        errors = _errors_of(refused, lang)
        return _form(request, actor, factory, typed, errors=errors, status_code=422)
    except editing.PossibleDuplicates as refused:
        shown(request, actor, refused.candidates, searched=False)
        return _form(request, actor, factory, typed, duplicates=refused.candidates, status_code=409)
    return redirect(f"/tre-em/{child.id}?xong=dang-ky")


@router.get("/tre-em/{child_id}/sua", response_class=HTMLResponse)
def edit_form(
    request: Request,
    access: Annotated[ChildAccess, child_for(Action.child_edit)],
    factory: SessionFactoryDep,
) -> Response:
    """The child's record in the form, to correct it."""
    with factory() as session:
        child = session.get_one(Child, access.id)
        typed = child_form.Typed.of_record(
            editing.current_fields(session, child), version=child.version
        )
    _audit_form_read(request, access)
    return _form(request, access.actor, factory, typed, child_id=access.id)


@router.post("/tre-em/{child_id}/sua", response_class=HTMLResponse)
def save_child(
    request: Request,
    access: Annotated[ChildAccess, child_for(Action.child_edit)],
    posted: Posted,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Save the corrected record, unless someone changed it since the form was opened."""
    actor, child_id = access.actor, access.id
    typed = child_form.Typed.of(posted)
    if (changed := _rows_changed(typed)) is not None:
        return _form(request, actor, factory, changed, child_id=child_id)
    typed = typed.compacted()
    lang, now = i18n.lang_of(request), clock.now()
    version = typed.get("version")
    try:
        data = child_form.parse(
            typed, ChildFields, today=local_date(now, settings.tz), tz=settings.tz, lang=lang
        )
        patch = ChildPatch(version=int(version) if version.isdigit() else 0, **dict(data))
        run_in_transaction(
            factory,
            lambda session: editing.edit_child(
                session,
                actor,
                child_id=child_id,
                patch=patch,
                origin=origin_of(request),
                now=now,
                tz=settings.tz,
            ),
        )
    except (child_form.FormInvalid, InvalidInput) as refused:
        errors = _errors_of(refused, lang)
        return _form(
            request, actor, factory, typed, child_id=child_id, errors=errors, status_code=422
        )
    except editing.ChildChanged as refused:
        # Keep what was typed, against the version now seen: sending again is a choice.
        kept = typed.with_values(version=str(refused.change.version))
        return _form(
            request,
            actor,
            factory,
            kept,
            child_id=child_id,
            conflict=describe(refused.errors()[0], lang),
            status_code=409,
        )
    return redirect(f"/tre-em/{child_id}?xong=sua")


def _errors_of(refused: child_form.FormInvalid | InvalidInput, lang: Lang) -> child_form.PageErrors:
    """The form's own refusal, or the service's (the village, a personal id taken)."""
    if isinstance(refused, child_form.FormInvalid):
        return refused.errors
    return child_form.page_errors(refused.errors(), lang)


def _audit_form_read(request: Request, access: ChildAccess) -> None:
    write_audit(
        request,
        access.actor,
        Record(AuditAction.view, "child", str(access.id), detail={"view": "form"}),
    )


def _form(
    request: Request,
    actor: Actor,
    factory: SessionFactoryDep,
    typed: child_form.Typed,
    *,
    child_id: int | None = None,
    errors: child_form.PageErrors | None = None,
    duplicates: list[Any] | None = None,
    conflict: str | None = None,
    status_code: int = 200,
) -> Response:
    with factory() as session:
        places = form_places(session, commune_id=actor.commune_id)
    hidden = i18n.gettext_for(request, "Lỗi")
    by_field = errors.by_field if errors else {}

    def error_message(name: str) -> dict[str, str] | None:
        message = by_field.get(name)
        return {"text": message, "visuallyHiddenText": hidden} if message else None

    return render(
        request,
        "children/edit.html",
        {
            "typed": typed,
            "child_id": child_id,
            "villages": places.villages,
            "disability_choices": list(DisabilityLevel),
            "poverty_choices": list(PovertyStatus),
            "errors": errors,
            "error_message": error_message,
            "error_parts": errors.parts if errors else {},
            "duplicates": duplicates,
            "conflict": conflict,
        },
        actor=actor,
        status_code=status_code,
    )
