"""The FastAPI application factory: engine, sessions and clock are made here, not at import."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from sqlalchemy.orm import sessionmaker
from sqlmodel import Session

import casework.models  # noqa: F401  (every table, so foreign keys resolve at flush)
from casework import background, crypto
from casework.accounts.activation_views import PUBLIC as ACTIVATION_PUBLIC
from casework.accounts.activation_views import router as activation_router
from casework.accounts.auth import current_actor
from casework.accounts.views import PUBLIC as ACCOUNT_PUBLIC
from casework.accounts.views import router as accounts_router
from casework.admin.pages import router as admin_pages
from casework.admin.people_pages import router as people_admin_pages
from casework.agencies.admin_pages import router as agency_admin_pages
from casework.audit.pages import router as audit_pages
from casework.audit.views import router as audit_router
from casework.cases.handover_pages import router as handover_pages
from casework.cases.pages import router as case_pages
from casework.cases.views import router as cases_router
from casework.children.edit_pages import router as child_form_pages
from casework.children.pages import router as children_pages
from casework.children.views import router as children_router
from casework.clock import Clock, SystemClock
from casework.communes.admin_pages import router as village_admin_pages
from casework.communes.pages import router as commune_pages
from casework.communes.province_pages import router as province_pages
from casework.communes.views import router as stats_router
from casework.config import Settings, get_settings
from casework.dashboard.pages import router as dashboard_pages
from casework.db import make_engine, make_sessionmaker
from casework.errors import UnexpectedErrors, install_error_handlers
from casework.escalations.pages import router as escalation_pages
from casework.escalations.views import router as escalations_router
from casework.intake.pages import router as intake_pages
from casework.intake.views import router as intake_router
from casework.keys import load_keys
from casework.registry.cleaning.pages import router as cleaning_pages
from casework.registry.cleaning.views import router as cleaning_router
from casework.registry.imports.lists import ALL_PAGES
from casework.registry.imports.pages import ROUTERS as IMPORT_ROUTERS
from casework.registry.imports.pages import UPLOAD_OVERHEAD
from casework.registry.pages import router as registry_pages
from casework.registry.quality_views import api as registry_quality_router
from casework.registry.quality_views import pages as registry_quality_pages
from casework.registry.register_pages import router as register_pages
from casework.registry.register_views import router as register_router
from casework.registry.review.office import router as review_office_pages
from casework.registry.review.pages import router as review_pages
from casework.registry.views import router as registry_router
from casework.reports.pages import router as report_pages
from casework.reports.report_pages import router as periodic_report_pages
from casework.reports.schedule_pages import router as report_schedule_pages
from casework.reports.target_pages import router as target_pages
from casework.tasks.pages import router as task_pages
from casework.tasks.views import router as tasks_router
from casework.web.guard import RequestGuard
from casework.web.headers import SecurityHeadersMiddleware
from casework.web.sessions import SessionMiddleware
from casework.web.templating import STATIC_DIR, make_templates
from casework.web.views import PUBLIC as WEB_PUBLIC
from casework.web.views import router as web_router
from workflows import ticker as ticker_module

DESCRIPTION = """
API tiếp nhận và tra cứu hồ sơ bảo vệ trẻ em cấp xã (NĐ 56/2017/NĐ-CP).

The JSON API for recording reports about children at risk and reading their cases.
Errors always answer `{"detail": [{"loc", "field", "type", "msg", "msg_vi", "msg_en"}]}`;
`msg` follows `Accept-Language` (Vietnamese by default). Times are ISO 8601 with offset,
shown in Asia/Ho_Chi_Minh.
"""


def create_app(
    settings: Settings | None = None,
    *,
    session_factory: sessionmaker[Session] | None = None,
    clock: Clock | None = None,
) -> FastAPI:
    """Build the application; tests pass their own session factory and clock."""
    settings = settings or get_settings()
    keys = load_keys(settings)  # production without keys stops here, before serving
    crypto.install(keys)
    engine: Engine | None = None
    if session_factory is None:
        engine = make_engine(settings)
        session_factory = make_sessionmaker(engine)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        factory, clock = app.state.session_factory, app.state.clock
        work = background.jobs(
            factory,
            settings,
            clock,
            timers=settings.timers_in_serve,
            outbox=settings.outbox_in_serve,
        )
        ticker = ticker_module.Background(work.ticks) if work.ticks else None
        if work.relay is not None and ticker is not None:
            work.relay.stopping = ticker.stopping
        yield
        if ticker is not None:
            ticker.shutdown()
        if engine is not None:
            engine.dispose()

    app = FastAPI(
        title="Casework",
        version="1",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.session_factory = session_factory
    app.state.clock = clock or SystemClock()
    app.state.templates = make_templates(settings.tz)
    install_error_handlers(app)
    # Authentication is declared here, once per router: every API route needs a session
    # or a token. Each route names its action (casework.authz.deps); a test walks
    # app.routes and fails on a route that is neither in PUBLIC_ROUTES nor authorised.
    api_routers = (
        intake_router,
        cases_router,
        tasks_router,
        escalations_router,
        children_router,
        registry_router,
        audit_router,
        stats_router,
        register_router,
        cleaning_router,
        registry_quality_router,
    )
    # The pages: a person not logged in is sent to the login page (casework.errors).
    page_routers = (
        dashboard_pages,
        intake_pages,
        case_pages,
        task_pages,
        escalation_pages,
        child_form_pages,  # /tre-em/moi before /tre-em/{child_id}
        # Before the children's and the administration's pages: "/tre-em/nhap",
        # "/quan-tri/nguoi-dung/nhap"… are no child's, person's, village's or agency's id.
        *IMPORT_ROUTERS,
        children_pages,
        registry_pages,
        audit_pages,
        agency_admin_pages,  # before admin_pages: /quan-tri/co-quan/truong-hoc is no agency
        admin_pages,
        people_admin_pages,
        village_admin_pages,
        province_pages,
        handover_pages,
        commune_pages,
        register_pages,
        registry_quality_pages,
        review_pages,
        review_office_pages,
        cleaning_pages,
        report_pages,
        periodic_report_pages,
        report_schedule_pages,
        target_pages,
    )
    for router in (*api_routers, *page_routers):
        app.include_router(router, dependencies=[Depends(current_actor)])
    app.include_router(web_router)
    app.include_router(accounts_router)
    app.include_router(activation_router)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    # Innermost first: the last added is the outermost.
    app.add_middleware(UnexpectedErrors)
    app.add_middleware(
        RequestGuard,
        max_body_bytes=settings.max_body_bytes,
        max_json_depth=settings.max_json_depth,
        uploads={place.path: settings.import_max_bytes + UPLOAD_OVERHEAD for place in ALL_PAGES},
    )
    app.add_middleware(
        SessionMiddleware,
        secret_key=keys.secret_key,
        idle_seconds=settings.session_idle_minutes * 60,
        secure=settings.cookie_secure,
    )
    app.add_middleware(SecurityHeadersMiddleware)
    return app


# Routes anyone may reach without logging in: the home page, the health check, the login
# form, the OpenAPI description and its pages, and the static files.
PUBLIC_ROUTES = (
    WEB_PUBLIC
    | ACCOUNT_PUBLIC
    | ACTIVATION_PUBLIC
    | {
        ("GET", "/openapi.json"),
        ("GET", "/docs"),
        ("GET", "/docs/oauth2-redirect"),
        ("GET", "/redoc"),
        ("GET", "/static"),
    }
)
