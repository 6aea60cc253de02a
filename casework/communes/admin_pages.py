"""Quản trị › Thôn, bản: the commune's villages, and a form to add one (with its head's
board), for the commune's administrator; the same service a province's set-up will use
(``communes.villages``), each addition audited in its own transaction."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlmodel import Session

from casework.actors import Actor
from casework.admin.pages import AdminDep, submitted
from casework.admin.schemas import VillageIn, VillageMergeIn
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz.deps import Administered, village_for
from casework.authz.policy import Action
from casework.communes import villages
from casework.deps import ClockDep, ReadSessionDep, SessionFactoryDep, SettingsDep
from casework.web.forms import FormErrors
from casework.web.i18n import N_, lang_of
from casework.web.pages import render
from casework.web.submit import FormItems, validate

router = APIRouter(include_in_schema=False)
VillageDep = Annotated[Administered, village_for(Action.admin)]
DONE = {
    "added": N_("Đã thêm thôn và ban điều hành thôn."),
    "renamed": N_("Đã đổi tên thôn; tên cũ vẫn được lưu."),
    "merged": N_("Đã sáp nhập thôn: trẻ em, rà soát và số liệu đã chuyển sang thôn này."),
}


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
    assert actor.commune_id is not None
    context = {
        "villages": villages.villages_of(session, commune_id=actor.commune_id),
        "typed": typed or {},
        "errors": errors or FormErrors(),
        "notice": notice,
    }
    return render(request, "admin/villages.html", context, actor=actor, status_code=status_code)


@router.get("/quan-tri/thon")
def village_list(
    request: Request, actor: AdminDep, session: ReadSessionDep, done: str | None = None
) -> Response:
    """The commune's villages, their boards and how many children live in each."""
    return _page(request, actor, session, notice=DONE.get(done or ""))


@router.post("/quan-tri/thon")
def add_village(
    request: Request,
    actor: AdminDep,
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Add a village and its head's board; a name the commune has already is refused."""
    sent = validate(VillageIn, form, tz=settings.tz, lang=lang_of(request))

    def work(session: Session, data: VillageIn) -> Record:
        assert actor.commune_id is not None
        added = villages.add_village(session, commune_id=actor.commune_id, name=data.village)
        return Record(AuditAction.create, "village", str(added.id))

    return submitted(
        request, factory, clock, actor, sent, work,
        fallback="village", done="/quan-tri/thon?done=added",
        again=lambda session, errors, status: _page(
            request, actor, session, typed=sent.typed, errors=errors, status_code=status
        ),
    )  # fmt: skip


def _rename_page(
    request: Request,
    actor: Actor,
    session: Session,
    village_id: int,
    *,
    typed: dict[str, str] | None = None,
    errors: FormErrors | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    assert actor.commune_id is not None
    village = villages.village_in(session, commune_id=actor.commune_id, village_id=village_id)
    rows = villages.villages_of(session, commune_id=actor.commune_id)
    row = next(v for v in rows if v.id == village.id)
    context = {"village": row, "typed": typed or {"village": village.name},
               "others": [v for v in rows if v.id != village.id], "notice": notice,
               "errors": errors or FormErrors()}  # fmt: skip
    return render(request, "admin/village.html", context, actor=actor, status_code=status_code)


@router.get("/quan-tri/thon/{village_id}")
def village_page(
    request: Request, access: VillageDep, session: ReadSessionDep, done: str | None = None
) -> Response:
    """The forms to rename a village (its former names listed) or merge it into another."""
    return _rename_page(request, access.actor, session, access.id, notice=DONE.get(done or ""))


@router.post("/quan-tri/thon/{village_id}")
def rename_village(
    request: Request,
    access: VillageDep,
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Rename the village, keeping the old name; a name another village has is refused."""
    actor, village_id = access.actor, access.id
    sent = validate(VillageIn, form, tz=settings.tz, lang=lang_of(request))

    def work(session: Session, data: VillageIn) -> Record:
        assert actor.commune_id is not None
        villages.rename_village(
            session, commune_id=actor.commune_id, village_id=village_id,
            name=data.village, now=clock.now(), by=actor.user_id,
        )  # fmt: skip
        detail = {"change": "renamed"}
        return Record(AuditAction.update, "village", str(village_id), detail=detail)

    return submitted(
        request, factory, clock, actor, sent, work,
        fallback="village", done="/quan-tri/thon?done=renamed",
        again=lambda session, errors, status: _rename_page(
            request, actor, session, village_id, typed=sent.typed, errors=errors,
            status_code=status,
        ),
    )  # fmt: skip


@router.post("/quan-tri/thon/{village_id}/sap-nhap")
def merge_village(
    request: Request,
    access: VillageDep,
    form: FormItems,
    factory: SessionFactoryDep,
    clock: ClockDep,
    settings: SettingsDep,
) -> Response:
    """Merge the village into another of the commune: what points at it follows."""
    actor, village_id = access.actor, access.id
    sent = validate(VillageMergeIn, form, tz=settings.tz, lang=lang_of(request),
                    choices=("into",))  # fmt: skip

    def work(session: Session, data: VillageMergeIn) -> Record:
        assert actor.commune_id is not None
        merged = villages.merge_village(
            session, commune_id=actor.commune_id, village_id=village_id, into_id=data.into,
            now=clock.now(), by=actor.user_id,
        )  # fmt: skip
        detail = {"change": "merged", "into": data.into, "children": merged.children,
                  "reviews_moved": merged.reviews_moved, "people": merged.people}  # fmt: skip
        return Record(AuditAction.update, "village", str(village_id), detail=detail)

    return submitted(
        request, factory, clock, actor, sent, work,
        fallback="into",
        done=f"/quan-tri/thon/{sent.data.into if sent.data else village_id}?done=merged",
        again=lambda session, errors, status: _rename_page(
            request, actor, session, village_id, typed=sent.typed, errors=errors,
            status_code=status,
        ),
    )  # fmt: skip
