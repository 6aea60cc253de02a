"""Imports from a spreadsheet, as pages: upload, the dry run's report, the person's choice.

One set of pages per list (``lists.py``): the commune's children at ``/tre-em/nhap`` (its
caseworkers and supervisor, ``child_import``); its villages, agencies' contacts and
people under ``/quan-tri/…/nhap`` (its administrator, or the province administrator
working in it). The request only keeps the file (``service.start``); the worker checks it and,
once the person chose, imports it. The job's page polls its progress (htmx) and shows the
report; the report also downloads as XLSX. Every view and write is in the audit log,
with counts and ids, never a name.
"""

# No "from __future__ import annotations": the routes are made per target in
# ``router_for`` and annotate with its local dependencies, which FastAPI must see.

import contextlib
from typing import Any

from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from sqlmodel import Session, select
from starlette.datastructures import UploadFile

from casework.accounts.auth import origin_of, write_audit
from casework.actors import Actor
from casework.audit import service as audit_service
from casework.audit.models import AuditAction
from casework.audit.service import Record
from casework.authz.deps import Allowed, refuse
from casework.authz.policy import HIDE
from casework.db import run_in_transaction
from casework.deps import ClockDep, SessionFactoryDep, SettingsDep
from casework.registry.imports import report, service
from casework.registry.imports.lists import ALL_PAGES, ImportPages
from casework.registry.imports.models import (
    RUNNING,
    WAITING,
    ImportJob,
    ImportMode,
    ImportStatus,
)
from casework.registry.imports.reader import FileProblem
from casework.schemas_common import Id
from casework.web.forms import FormErrors
from casework.web.i18n import lang_of
from casework.web.pages import redirect, render
from casework.web.submit import FormItems

UPLOAD_OVERHEAD = 65_536  # the multipart envelope around the file
RECENT = 10


def router_for(pages: ImportPages) -> APIRouter:
    """The upload, job, progress, report, choice, discard and mapping routes of a target."""
    router = APIRouter(include_in_schema=False)
    Importer = Allowed(pages.action)  # noqa: N806  (reads as a type in signatures)
    UPLOAD_PATH = pages.path  # noqa: N806
    TARGET = pages.target  # noqa: N806

    def _job(request: Request, actor: Actor, session: Session, job_id: int) -> ImportJob:
        job = service.get_in_commune(
            session, job_id=job_id, commune_id=actor.commune_id, target=TARGET
        )
        if job is None:
            refuse(request, actor, pages.action, HIDE, subject=("import_job", str(job_id)))
        assert job is not None
        return job

    def _upload_page(
        request: Request,
        actor: Actor,
        factory: SessionFactoryDep,
        settings: SettingsDep,
        *,
        errors: FormErrors | None = None,
        status_code: int = 200,
    ) -> Response:
        with factory() as session:
            jobs = session.exec(
                select(ImportJob)
                .where(ImportJob.commune_id == actor.commune_id, ImportJob.target == TARGET)
                .order_by(ImportJob.id.desc())
                .limit(RECENT)
            ).all()
        context = {
            "jobs": jobs,
            "errors": errors or FormErrors(),
            "limit": service.size_text(settings.import_max_bytes),
            "fields": service.TARGETS[TARGET].fields,
            "ImportStatus": ImportStatus,
            "pages": pages,
        }
        return render(request, "imports/upload.html", context, actor=actor, status_code=status_code)

    @router.get(UPLOAD_PATH)
    def upload_form(
        request: Request, actor: Importer, factory: SessionFactoryDep, settings: SettingsDep
    ) -> Response:
        """The form to upload a list, the columns it may have, and the commune's last imports."""
        return _upload_page(request, actor, factory, settings)

    @router.post(UPLOAD_PATH)
    async def upload(
        request: Request,
        actor: Importer,
        factory: SessionFactoryDep,
        clock: ClockDep,
        settings: SettingsDep,
    ) -> Response:
        """Keep the file and queue its dry run; a file that cannot be taken is said at once."""
        form = await request.form(max_files=1, max_fields=5)
        sent = form.get("file")
        lang = lang_of(request)
        if not isinstance(sent, UploadFile) or not sent.filename:
            errors = report.file_errors("import_choose_file", {}, lang, settings.tz)
            return _upload_page(request, actor, factory, settings, errors=errors, status_code=422)
        data = await sent.read(settings.import_max_bytes + 1)
        name = sent.filename

        def work(session: Session) -> int:
            job = service.start(
                session, commune_id=actor.commune_id, user_id=actor.user_id, target=TARGET,
                file_name=name, data=data, max_bytes=settings.import_max_bytes, now=clock.now(),
            )  # fmt: skip
            assert job.id is not None
            detail = {"target": TARGET, "bytes": len(data), "kind": job.file_kind}
            record = Record(AuditAction.create, "import_job", str(job.id), detail=detail)
            audit_service.append(session, actor, record, origin=origin_of(request), now=clock.now())
            return job.id

        try:
            job_id = await run_in_threadpool(run_in_transaction, factory, work)
        except FileProblem as problem:
            errors = report.file_errors(problem.code, problem.params, lang, settings.tz)
            return _upload_page(request, actor, factory, settings, errors=errors, status_code=422)
        return redirect(f"{UPLOAD_PATH}/{job_id}")

    def _job_context(request: Request, job: ImportJob) -> dict[str, Any]:
        lang = lang_of(request)
        fields = service.TARGETS[job.target].fields
        return {
            "job": job,
            "running": job.status in RUNNING or job.status in WAITING,
            "lines": report.lines(job, fields, lang, limit=report.SHOWN),
            "problem": report.problem_text(job, lang),
            "modes": list(ImportMode),
            "columns": report.columns(job, fields, lang),
            "fields": fields,
            "ImportStatus": ImportStatus,
            "pages": pages,
        }

    @router.get(UPLOAD_PATH + "/{job_id}")
    def job_page(
        request: Request, actor: Importer, factory: SessionFactoryDep, job_id: Id
    ) -> Response:
        """Where the job is: its progress while it runs, then the dry run's report and the
        choice, or what was imported."""
        with factory() as session:
            job = _job(request, actor, session, job_id)
        write_audit(request, actor, Record(AuditAction.view, "import_job", str(job_id),
                                           detail={"status": str(job.status)}))  # fmt: skip
        return render(request, "imports/job.html", _job_context(request, job), actor=actor)

    @router.get(UPLOAD_PATH + "/{job_id}/tien-do")
    def job_progress(
        request: Request, actor: Importer, factory: SessionFactoryDep, job_id: Id
    ) -> Response:
        """The progress bar alone (htmx polls it); once the job waits for a person or ended,
        the whole page is loaded again."""
        with factory() as session:
            job = _job(request, actor, session, job_id)
        context = _job_context(request, job)
        response = render(request, "imports/_progress.html", context, actor=actor)
        if not context["running"]:
            response.headers["HX-Refresh"] = "true"
        return response

    @router.get(UPLOAD_PATH + "/{job_id}/bao-cao.xlsx")
    def job_report(
        request: Request, actor: Importer, factory: SessionFactoryDep, job_id: Id
    ) -> Response:
        """Every row's problem (and every row found already in the register) as a workbook."""
        with factory() as session:
            job = _job(request, actor, session, job_id)
        fields = service.TARGETS[job.target].fields
        body = report.workbook(job, fields, lang_of(request))
        detail = {"report": True, "lines": len(job.report)}
        write_audit(
            request, actor, Record(AuditAction.export, "import_job", str(job_id), detail=detail)
        )
        return Response(
            body,
            media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="bao-cao-nhap-{job_id}.xlsx"'},
        )

    def _change(
        request: Request, actor: Actor, factory: SessionFactoryDep, clock: ClockDep, job_id: int,
        action: str, work: Any,
    ) -> Response:  # fmt: skip
        with factory() as session:
            _job(request, actor, session, job_id)  # 404 (and its audit entry) before any write

        def run(session: Session) -> None:
            work(session, session.get_one(ImportJob, job_id))
            record = Record(
                AuditAction.update, "import_job", str(job_id), detail={"action": action}
            )
            audit_service.append(session, actor, record, origin=origin_of(request), now=clock.now())

        # A job already moved on (a double click, another tab): the page says where it is.
        with contextlib.suppress(service.NotNow):
            run_in_transaction(factory, run)
        return redirect(f"{UPLOAD_PATH}/{job_id}")

    @router.post(UPLOAD_PATH + "/{job_id}/nhap")
    def choose(
        request: Request,
        actor: Importer,
        factory: SessionFactoryDep,
        clock: ClockDep,
        form: FormItems,
        job_id: Id,
    ) -> Response:
        """ "Nhập tất cả hoặc không nhập gì" or "Chỉ nhập các dòng hợp lệ"."""
        chosen = dict(form).get("mode", "")
        if chosen not in ImportMode.__members__:
            with factory() as session:
                _job(request, actor, session, job_id)  # another commune's job: 404 all the same
            return redirect(f"{UPLOAD_PATH}/{job_id}")
        mode = ImportMode(chosen)

        def work(session: Session, job: ImportJob) -> None:
            service.choose(session, job=job, mode=mode, now=clock.now())

        return _change(request, actor, factory, clock, job_id, f"import_{mode.value}", work)

    @router.post(UPLOAD_PATH + "/{job_id}/huy")
    def discard(
        request: Request, actor: Importer, factory: SessionFactoryDep, clock: ClockDep, job_id: Id
    ) -> Response:
        """Give up this file: it is deleted, nothing is imported."""

        def work(session: Session, job: ImportJob) -> None:
            service.discard(session, job=job, now=clock.now())

        return _change(request, actor, factory, clock, job_id, "discard", work)

    @router.get(UPLOAD_PATH + "/{job_id}/cot")
    def mapping_form(
        request: Request, actor: Importer, factory: SessionFactoryDep, job_id: Id
    ) -> Response:
        """Which column holds what: one choice per column of the file."""
        with factory() as session:
            job = _job(request, actor, session, job_id)
        return render(request, "imports/mapping.html", _job_context(request, job), actor=actor)

    @router.post(UPLOAD_PATH + "/{job_id}/cot")
    def save_mapping(
        request: Request,
        actor: Importer,
        factory: SessionFactoryDep,
        clock: ClockDep,
        form: FormItems,
        job_id: Id,
    ) -> Response:
        """The corrected mapping, remembered for the commune's next file with these headings;
        the dry run runs again."""
        chosen: dict[int, str | None] = {}
        for name, value in form:
            if name.startswith("cot-") and name[4:].isdigit():
                chosen[int(name[4:])] = value or None
        mapping = [chosen.get(index) for index in range(max(chosen, default=-1) + 1)]
        user_id = actor.user_id
        assert user_id is not None

        def work(session: Session, job: ImportJob) -> None:
            service.remap(session, job=job, mapping=mapping, user_id=user_id, now=clock.now())

        return _change(request, actor, factory, clock, job_id, "remap", work)

    return router


ROUTERS = tuple(router_for(pages) for pages in ALL_PAGES)
