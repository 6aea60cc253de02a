"""The authorization matrix: every role × every route × own/other commune × own/other agency.

The routes come from the app itself (API and web pages alike, so pages added later are
covered without editing this file); the expected answer comes from the policy's pure
rules (``casework.authz.policy``) applied to the facts of each record. The test checks that
what the HTTP layer and the scoped SQL actually answer is what the policy says:
allowed (any answer past the access check: 2xx, 3xx, 409, 422), 403 or 404.
"""

from __future__ import annotations

import re
from collections import Counter
from zoneinfo import ZoneInfo

from fastapi.testclient import TestClient
from sqlalchemy.orm import object_session
from sqlmodel import select

from casework.accounts.models import Role, User
from casework.agencies.models import AgencyKind
from casework.app import PUBLIC_ROUTES, create_app
from casework.authz import policy
from casework.authz.policy import Action, Outcome
from casework.registry.cleaning import policy as cleaning_policy
from casework.registry.imports.lists import ALL_PAGES
from casework.registry.imports.models import ImportJob
from casework.reports.models import PeriodicReport
from casework.reports.obligations import open_obligation
from casework.reports.schedule import defaults
from tests.casework.access.routes import Endpoint, endpoints, unguarded
from tests.factories.world import Place, World

AGENCY_ROLES = {Role.agency_officer, Role.agency_head}
ROLE_PERSON = {
    Role.caseworker: "caseworker",
    Role.supervisor: "supervisor",
    Role.collaborator: "collaborator",
    Role.province_viewer: "province_viewer",
    Role.auditor: "auditor",
    Role.admin: "admin",
    Role.province_admin: "province_admin",
}


def person(place: Place, role: Role, agency: str) -> User:
    """The commune's person of ``role``; for agency roles, of an agency with a task on the
    case ("own": the police) or without one ("other": the economic office)."""
    if role in AGENCY_ROLES:
        kind = "police" if agency == "own" else "economic_office"
        suffix = "officer" if role == Role.agency_officer else "head"
        return place.people[f"{kind}.{suffix}"]
    return place.people[ROLE_PERSON[role]]


def task_for(place: Place, user: User, agency: str):  # type: ignore[no-untyped-def]
    """The task a cell acts on: the person's own agency's task in that case ("own"), or
    another agency's ("other")."""
    own = next((t for t in place.tasks.values() if t.agency_id == user.agency_id), None)
    if agency == "own" and own is not None:
        return own
    return next(
        t
        for k, t in place.tasks.items()
        if t.agency_id != user.agency_id and k in (AgencyKind.police, AgencyKind.health_station)
    )


def fill(endpoint: Endpoint, place: Place, user: User, agency: str) -> tuple[str, str, object]:
    """The concrete path, the kind of record it names and that record."""
    path, kind, record = endpoint.path, "none", None
    for name in endpoint.params:
        if name == "code":
            value, kind, record = place.case.code, "case", place.case
        elif name == "task_id":
            task = task_for(place, user, agency)
            value, kind, record = str(task.id), "task", task
        elif name == "escalation_id":
            value, kind, record = str(place.escalation.id), "escalation", place.escalation
        elif name == "child_id":
            value, kind, record = str(place.case.child_id), "child", place.case
        elif name == "review_id":  # a village's review of the place's commune
            value, kind, record = str(place.review.id), "review", place.review
        elif name == "loop_id":  # a data-cleaning loop at the police's verification
            record = place.cleaning_loop  # type: ignore[attr-defined]
            value, kind = str(record.id), "cleaning"
        elif name == "event":
            value = "start_assessment"
        elif name == "job_id" and path.startswith("/quan-tri/"):  # people, villages, contacts
            target = next(p.target for p in ALL_PAGES if path.startswith(p.path + "/"))
            record = import_job_of(place, target)
            value, kind = str(record.id), "administered"
        elif name == "job_id":  # an import of the place's list of children
            record = import_job_of(place, "children")
            value, kind = str(record.id), "import_job"
        elif name == "user_id":  # an account of the place's commune (administration)
            record = place.people["caseworker"]
            value, kind = str(record.id), "administered"
        elif name == "village_id":  # a village of the place's commune (administration)
            record = place.review
            value, kind = str(place.review.village_id), "administered"
        elif name == "commune_id":  # a commune of the place (the province's set-up)
            record = place.commune
            value, kind = str(place.commune.id), "commune"
        elif name == "report_id":  # the police's report owed, or (its Word draft) the commune's
            record = report_of(place, commune=path.endswith("van-ban.docx"))
            value, kind = str(record.id), "report"
        elif name == "agency_id":  # an agency of the place's commune (administration)
            record = place.tasks[AgencyKind.police]
            value, kind = str(record.agency_id), "administered"
        else:
            raise AssertionError(
                f"{endpoint.method} {endpoint.path}: the matrix does not know how to fill "
                f"{{{name}}}; teach fill() which record it names"
            )
        path = path.replace("{" + name + "}", value)
    return path, kind, record


def import_job_of(place: Place, target: str) -> ImportJob:
    """An upload of the place's commune waiting for its dry run (made once per place and
    target: a list of children or of people)."""
    session = object_session(place.commune)
    assert session is not None
    job = session.exec(
        select(ImportJob).where(
            ImportJob.commune_id == place.commune.id, ImportJob.target == target
        )
    ).first()
    if job is None:
        now = place.case.opened_at
        job = ImportJob(
            commune_id=place.commune.id, target=target,
            created_by_id=place.people["caseworker"].id, created_at=now, updated_at=now,
            file_name="ds.csv", file_kind="csv", file_size=3, file_sha256="0" * 64,
            file_data=b"a,b",
        )  # fmt: skip
        session.add(job)
        session.commit()
    return job


def report_of(place: Place, *, commune: bool) -> PeriodicReport:
    """The place's commune's first-half reports, opened once: the police's (with an
    attachment), or the commune's own."""
    session = object_session(place.commune)
    assert session is not None
    owed = session.exec(
        select(PeriodicReport).where(PeriodicReport.commune_id == place.commune.id)
    ).all()
    if not owed:
        tz = ZoneInfo("Asia/Ho_Chi_Minh")
        for line in defaults():
            if line.key in ("agencies_h1", "commune_h1"):
                owed += open_obligation(session, commune_id=place.commune.id, obligation=line,
                                        year=2026, now=place.case.opened_at, tz=tz)  # fmt: skip
        for report in owed:
            report.attachment, report.attachment_name = b"%PDF", "bien-ban.pdf"
            report.attachment_type = "application/pdf"
        session.commit()
    police = place.tasks[AgencyKind.police].agency_id
    if commune:
        return next(r for r in owed if r.kind == "commune")
    return next(r for r in owed if r.agency_id == police)


def expected(
    world: World, user: User, action: Action, place: Place, kind: str, record: object
) -> Outcome:
    """What the policy says, from the record's facts."""
    actor = world.actor(user)
    decision = policy.gate(actor, action)
    if not decision.allowed or kind == "none":
        return decision.outcome
    view = policy.case_view(
        actor,
        commune_id=place.case.commune_id,
        task_agency_ids={task.agency_id for task in place.tasks.values()},
    )
    if kind == "commune":
        return policy.province_commune(actor, province=record.province).outcome
    if kind == "report":
        seen = policy.report_visible(
            actor, commune_id=record.commune_id, agency_id=record.agency_id
        )
        return Outcome.allowed if seen else Outcome.hidden
    if kind == "administered":
        return policy.administered(actor, commune_id=place.commune.id).outcome
    if kind == "case":
        return Outcome.allowed if view else Outcome.hidden
    if kind == "task":
        return policy.task_decision(actor, view=view, task_agency_id=record.agency_id).outcome
    if kind == "review":  # the world's people belong to no village's board
        return policy.review_decision(
            actor,
            action,
            commune_id=record.commune_id,
            village_id=record.village_id,
            own_village=None,
        ).outcome
    if kind == "cleaning":
        view = cleaning_policy.loop_view(actor, record)
        full = view == cleaning_policy.LoopView.full
        return (
            Outcome.allowed
            if view and full == (action == Action.cleaning_manage)
            else Outcome.hidden
        )
    if kind in ("child", "import_job"):
        visible = policy.child_visible(actor, commune_id=place.case.commune_id)
        return Outcome.allowed if visible else Outcome.hidden
    return Outcome.allowed if policy.escalation_visible(view) else Outcome.hidden


LISTS = {Action.case_list: "case", Action.escalation_list: "escalation", Action.child_list: "case"}
CASE_CODE = re.compile(r"\b(?:TD|KH)-\d{4}-\d{5}\b")


def leaked(world: World, user: User, action: Action, text: str) -> set[str]:
    """Case codes in a list's answer that the policy does not let ``user`` see."""
    actor = world.actor(user)
    shown = set(CASE_CODE.findall(text))
    bad = set()
    for place in (world.own, world.other):
        if place.case.code not in shown:
            continue
        view = policy.case_view(
            actor,
            commune_id=place.case.commune_id,
            task_agency_ids={task.agency_id for task in place.tasks.values()},
        )
        if view is None or (LISTS[action] == "escalation" and not policy.escalation_visible(view)):
            bad.add(place.case.code)
    return bad


def answered(status: int) -> Outcome:
    assert status not in (401, 500), status
    return {403: Outcome.denied, 404: Outcome.hidden}.get(status, Outcome.allowed)


def test_every_route_is_public_or_authenticated_and_named_in_the_policy(client):
    assert unguarded(client.app) == []


def test_a_route_added_without_a_policy_entry_fails_the_inventory(databases):
    app = create_app(databases.settings, session_factory=lambda: None)

    @app.get("/api/v1/forgotten")
    def forgotten() -> dict[str, str]:
        return {}

    assert [(e.method, e.path) for e in unguarded(app)] == [("GET", "/api/v1/forgotten")]


def test_public_routes_all_exist(client):
    known = {(e.method, e.path) for e in endpoints(client.app)}
    assert known >= PUBLIC_ROUTES


def test_authorization_matrix(client: TestClient, world, browser_for, connection, cleaning_loops):
    routes = [e for e in endpoints(client.app) if not e.public]
    people = {
        (role, agency, side): person(place, role, agency)
        for role in Role
        for agency in ("own", "other")
        for side, place in (("own", world.own), ("other", world.other))
    }
    headers = {user.id: browser_for(user) for user in people.values()}
    wrong, seen = [], Counter()
    for endpoint in routes:
        for role in Role:
            for agency in ("own", "other"):
                user = people[(role, agency, "own")]
                for side, place in (("own", world.own), ("other", world.other)):
                    path, kind, record = fill(endpoint, place, user, agency)
                    want = expected(world, user, endpoint.action, place, kind, record)
                    cell = connection.begin_nested()
                    try:
                        response = client.request(
                            endpoint.method,
                            path,
                            headers=headers[user.id],
                            json={} if endpoint.method != "GET" else None,
                            follow_redirects=False,
                        )
                    finally:
                        cell.rollback()
                        client.cookies.clear()
                    got = answered(response.status_code)
                    if got == Outcome.allowed and endpoint.action in LISTS:
                        for code in leaked(world, user, endpoint.action, response.text):
                            wrong.append(
                                f"{role.value}/{agency} agency: {endpoint.path} "
                                f"lists {code}, which the policy hides from them"
                            )
                    seen[want] += 1
                    if got != want:
                        wrong.append(
                            f"{role.value}/{agency} agency/{side} commune: {endpoint.method} "
                            f"{endpoint.path} → {response.status_code}, policy says {want.value}"
                        )
    assert wrong == []
    # the matrix really exercises all three answers
    assert all(seen[outcome] for outcome in Outcome)
