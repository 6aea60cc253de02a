"""Nhiệm vụ của tôi: an agency's tasks, overdue first, and a one-page form per task to
accept it, decline it with a reason or complete it with an outcome (UX.md §2.4).

The answers go through the same services, locks and audit entries as
``POST /api/v1/tasks/{id}/accept|decline|complete`` (``casework.tasks.views.answer``).
An agency officer sees what the task needs: the facts the workflow definition gives its
kind, the child's name, age and village, and the caseworker to call
(``casework.cases.agency_read``), never the reporter; and every running clock of the task,
each with its own label (to accept it, to finish it), as the case page shows them.
"""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Annotated, Any, TypeVar
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel
from sqlmodel import Session

from casework.accounts.auth import write_audit
from casework.actors import Actor
from casework.agencies.models import Agency
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz import scopes
from casework.authz.deps import Allowed, TaskAccess, task_for
from casework.authz.policy import Action, CaseView
from casework.cases import agency_read, case_page, flow, use_cases
from casework.cases.models import ProtectionCase, Task, TaskStatus
from casework.cases.schemas import AgencyCaseRead
from casework.cases.wording import task_clock_label
from casework.deps import ClockDep, ReadSessionDep, SessionFactoryDep, SettingsDep
from casework.errors import CaseworkError
from casework.pagination import PageParams
from casework.schemas_common import PageNumber
from casework.tasks import repository as task_list
from casework.tasks import service as task_service
from casework.tasks import views as task_views
from casework.tasks.repository import Due
from casework.tasks.schemas import Complete, Decline
from casework.timefmt import end_of_local_day
from casework.web.forms import FormErrors
from casework.web.i18n import N_, gettext_for, lang_of
from casework.web.pages import redirect, render
from casework.web.submit import FormItems, Submission, validate

router = APIRouter(include_in_schema=False)
M = TypeVar("M", bound=BaseModel)

TaskDep = Annotated[TaskAccess, task_for(Action.task_act)]
PAGE_SIZE = 50
GROUPS = {
    task_list.Group.first: N_("Chưa nhận hoặc khẩn cấp"),
    task_list.Group.other: N_("Đang thực hiện"),
}
DONE = {
    "accepted": N_("Đã nhận nhiệm vụ. Khi làm xong, ghi kết quả và đánh dấu hoàn thành."),
    "completed": N_("Đã đánh dấu hoàn thành. Người làm công tác bảo vệ trẻ em sẽ thấy kết quả."),
    "declined": N_(
        "Đã báo không thực hiện được. Lý do đã được gửi cho người làm công tác bảo vệ trẻ em "
        "và chuyển lên lãnh đạo UBND xã xử lý."
    ),
}


@router.get("/nhiem-vu")
def my_tasks(
    request: Request,
    actor: Allowed(Action.task_act),
    session: ReadSessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    show: Due = Due.all,
    page: Annotated[PageNumber, Query()] = 1,
    done: str | None = None,
) -> Response:
    """The tasks of the person's agency still to do, grouped by how soon they are due."""
    now = clock.now()
    end_of_day = end_of_local_day(now, settings.tz)
    scope = scopes.visible_tasks(actor)
    agency = session.get(Agency, actor.agency_id) if actor.agency_id is not None else None
    listing = counts = None
    if agency is not None:
        counts = task_list.agency_counts(
            session, agency_id=agency.id, scope=scope, now=now, end_of_day=end_of_day
        )
        listing = task_list.agency_tasks(
            session,
            agency_id=agency.id,
            scope=scope,
            due=show,
            now=now,
            end_of_day=end_of_day,
            params=PageParams(page=page, page_size=PAGE_SIZE),
            counts=counts,
        )
    shown = listing.items if listing else []
    write_audit(
        request,
        actor,
        Record(
            AuditAction.view,
            "task_list",
            None,
            detail={"tasks": [t.id for t in shown], "cases": sorted({t.case_code for t in shown})},
        ),
        after=session,
    )
    groups: dict[str, list[task_list.AgencyTask]] = {}
    for task in shown:
        groups.setdefault(task.group.value, []).append(task)
    lang = lang_of(request)
    return render(
        request,
        "tasks/list.html",
        {
            "agency": agency,
            "listing": listing,
            "counts": counts,
            "groups": [(GROUPS[task_list.Group(key)], items) for key, items in groups.items()],
            "show": show.value,
            "notice": DONE.get(done or ""),
            "clock_label": lambda kind: task_clock_label(kind, lang),
        },
        actor=actor,
    )


def _task_page(
    request: Request,
    session: Session,
    access: TaskAccess,
    *,
    now: datetime,
    tz: ZoneInfo,
    errors: FormErrors | None = None,
    typed: dict[str, str] | None = None,
    notice: str | None = None,
    status_code: int = 200,
) -> Response:
    """The task with what it needs of its case, its clocks, whom to call and the answers
    still possible (the read audited, with the facts shown)."""
    actor = access.case.actor
    case = session.get_one(ProtectionCase, access.case.id)
    definition = flow.engine_of(case).definition
    brief = use_cases.read_as(
        session, case=case, view=CaseView.task, actor=actor, now=now, tz=tz, task_id=access.task_id
    )
    assert isinstance(brief, AgencyCaseRead)
    task = agency_read.own_task(brief, access.task_id)
    lang, tr = lang_of(request), partial(gettext_for, request)
    clocks = [
        view
        for view in case_page.clock_views(brief.deadlines, definition, lang, tr)
        if view.deadline.task_id == task.id and view.running
    ]
    write_audit(request, actor, use_cases.viewed(brief, task=task.id), after=session)
    return render(
        request,
        "tasks/task.html",
        {
            "case": brief,
            "task": task,
            "clocks": clocks,
            "can_accept": task.status == TaskStatus.open,
            "can_finish": task.status in task_list.TO_DO,
            "errors": errors or FormErrors(),
            "typed": typed or {},
            "notice": notice,
            "conflict": status_code == 409,
        },
        actor=actor,
        status_code=status_code,
    )


@router.get("/nhiem-vu/{task_id}")
def task_page(
    request: Request,
    access: TaskDep,
    session: ReadSessionDep,
    clock: ClockDep,
    settings: SettingsDep,
    done: str | None = None,
) -> Response:
    """One task: what it is, its deadline, and the forms to answer it."""
    return _task_page(
        request,
        session,
        access,
        now=clock.now(),
        tz=settings.tz,
        notice=DONE.get(done or ""),
    )


class Answering:
    """One answer to one task: the request's task, clock and sessions, and the way back."""

    def __init__(
        self,
        request: Request,
        access: TaskDep,
        factory: SessionFactoryDep,
        clock: ClockDep,
        settings: SettingsDep,
    ) -> None:
        self.request, self.access, self.factory = request, access, factory
        self.clock, self.tz = clock, settings.tz

    def validate(self, schema: type[M], form: list[tuple[str, str]]) -> Submission[M]:
        return validate(schema, form, tz=self.tz, lang=lang_of(self.request))

    def answer(
        self, verb: str, act: task_views.Act, sent: Submission[Any] | None = None
    ) -> Response | None:
        """Answer the task (None), or show its page again: 422 for a refused form, 409
        when it is no longer open (someone else answered it first)."""
        errors, status_code = (sent.errors if sent else FormErrors()), 422
        if not errors:
            try:
                task_views.answer(self.request, self.factory, self.clock, self.access, verb, act)
                return None
            except CaseworkError as exc:
                errors = FormErrors.from_exception(exc, lang_of(self.request))
                status_code = exc.status_code
        with self.factory() as session:
            return _task_page(
                self.request,
                session,
                self.access,
                now=self.clock.now(),
                tz=self.tz,
                errors=errors,
                typed=sent.typed if sent else {},
                status_code=status_code,
            )


AnsweringDep = Annotated[Answering, Depends(Answering)]


@router.post("/nhiem-vu/{task_id}/nhan")
def accept(answering: AnsweringDep) -> Response:
    """Nhận nhiệm vụ: the agency takes the task on."""
    now = answering.clock.now()

    def act(session: Session, actor: Actor, task: Task, case: ProtectionCase) -> None:
        task_service.accept(session, actor, task=task, case=case, now=now)

    shown = answering.answer("accept", act)
    return shown or redirect(f"/nhiem-vu/{answering.access.task_id}?done=accepted")


@router.post("/nhiem-vu/{task_id}/tu-choi")
def decline(answering: AnsweringDep, form: FormItems) -> Response:
    """Không thực hiện được: the reason goes to the caseworker and the supervisor's queue."""
    sent, now = answering.validate(Decline, form), answering.clock.now()

    def act(session: Session, actor: Actor, task: Task, case: ProtectionCase) -> None:
        assert sent.data is not None
        reason, tz = sent.data.reason, answering.tz
        task_service.decline(session, actor, task=task, case=case, reason=reason, now=now, tz=tz)

    return answering.answer("decline", act, sent) or redirect("/nhiem-vu?done=declined")


@router.post("/nhiem-vu/{task_id}/hoan-thanh")
def complete(answering: AnsweringDep, form: FormItems) -> Response:
    """Hoàn thành: the task is done, with its outcome."""
    sent, now = answering.validate(Complete, form), answering.clock.now()

    def act(session: Session, actor: Actor, task: Task, case: ProtectionCase) -> None:
        assert sent.data is not None
        outcome = sent.data.outcome
        task_service.complete(session, actor, task=task, case=case, outcome=outcome, now=now)

    return answering.answer("complete", act, sent) or redirect("/nhiem-vu?done=completed")
