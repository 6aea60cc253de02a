"""What each role sees, written out by hand (the matrix checks the code against the policy;
these check the policy against the issue)."""

from __future__ import annotations

import pytest

from casework.authz.policy import supervisor_events
from casework.cases import workflow
from tests.casework.access.routes import endpoints
from tests.factories.intakes import intake_payload

REPORTER_TRACES = ("Lò Văn Tính", "Lo Van Tinh", "+84912345678", "0912 345 678", "hàng xóm")


def get(client, browser_for, user, path):
    response = client.get(path, headers=browser_for(user))
    client.cookies.clear()
    return response


def test_caseworker_and_supervisor_see_the_case_in_full_with_the_reporter(
    client, world, browser_for
):
    for who in ("caseworker", "supervisor"):
        user = world.own.people[who]
        case = get(client, browser_for, user, f"/api/v1/cases/{world.own.case.code}").json()
        assert case["view"] == "full"
        assert case["reports"][0]["reporter"]["name"] == "Lò Văn Tính"
        assert {t["agency_kind"] for t in case["tasks"]} >= {"police", "health_station"}
        other = get(client, browser_for, user, f"/api/v1/cases/{world.other.case.code}")
        assert other.status_code == 404
        assert other.json()["detail"][0]["type"] == "case_not_found"


@pytest.mark.parametrize("who", ["police.officer", "police.head"])
def test_an_agency_sees_what_its_tasks_need_and_its_own_tasks(client, world, browser_for, who):
    """The police's tasks here (verify family violence, trace an abandoned child's family)
    need what happened, when and where, and who is suspected; not the caregivers (see
    test_agency_facts for every agency and fact)."""
    user = world.own.people[who]
    response = get(client, browser_for, user, f"/api/v1/cases/{world.own.case.code}")
    case = response.json()
    assert set(case) == {
        "view",
        "code",
        "status",
        "status_label",
        "is_emergency",
        "child",
        "facts",
        "reports",
        "contacts",
        "tasks",
        "deadlines",
    }
    assert case["view"] == "task"
    assert {"incident_summary", "received_at", "place", "suspected_relation"} <= set(case["facts"])
    assert "caregivers" not in case["facts"]
    assert "child_state" not in case["facts"]
    assert case["child"]["full_name"] == "Nguyễn Thị Hoa"
    assert (case["child"]["age"], case["child"]["village"]) == (9, "Thôn Đồng Tâm")
    assert case["child"]["caregivers"] is None
    [report] = case["reports"]
    assert report["description"].startswith("Hàng xóm nghe tiếng trẻ khóc")
    assert (report["location"], report["perpetrator_relation"]) == (
        "Nhà riêng, Thôn Đồng Tâm",
        "parent",
    )
    assert "reporter" not in report
    assert [c["full_name"] for c in case["contacts"]] == ["caseworker"]
    assert {t["agency_kind"] for t in case["tasks"]} == {"police"}
    assert {d["task_id"] for d in case["deadlines"]} <= {t["id"] for t in case["tasks"]}
    for trace in REPORTER_TRACES + ("Nguyễn Văn Bình",):
        assert trace not in response.text
    listed = get(client, browser_for, user, "/api/v1/cases").json()
    assert [item["code"] for item in listed["items"]] == [world.own.case.code]
    assert listed["items"][0]["child_id"] is None
    assert listed["items"][0]["risk_level"] is None


def test_an_agency_without_a_task_sees_no_case(client, world, browser_for):
    user = world.own.people["economic_office.officer"]
    assert get(client, browser_for, user, f"/api/v1/cases/{world.own.case.code}").status_code == 404
    assert get(client, browser_for, user, "/api/v1/cases").json()["total"] == 0


def test_a_collaborator_may_report_and_sees_nothing_else(client, world, browser_for):
    user = world.own.people["collaborator"]
    response = client.post(
        "/api/v1/intakes",
        json=intake_payload(**{"child.full_name": "Lường Thị Én"}),
        headers=browser_for(user),
    )
    assert response.status_code == 201, response.text
    assert set(response.json()) == {"report_id", "received"}
    for path in (
        "/api/v1/cases",
        f"/api/v1/cases/{world.own.case.code}",
        "/api/v1/children",
        "/api/v1/escalations",
        "/api/v1/stats",
        "/api/v1/audit",
    ):
        assert get(client, browser_for, user, path).status_code == 404, path


def test_a_province_viewer_gets_counts_and_never_a_record(client, world, browser_for):
    user = world.own.people["province_viewer"]
    stats = get(client, browser_for, user, "/api/v1/stats").json()
    assert {row["code"] for row in stats} == {"TD-TEST", "OTHER"}  # the whole province
    assert all(row["total"] == 1 for row in stats)
    for path in (
        "/api/v1/cases",
        f"/api/v1/cases/{world.own.case.code}",
        "/api/v1/children",
        "/api/v1/escalations",
        "/api/v1/audit",
    ):
        assert get(client, browser_for, user, path).status_code == 404, path


def test_an_auditor_reads_the_log_and_no_case(client, world, browser_for):
    user = world.own.people["auditor"]
    assert get(client, browser_for, user, "/api/v1/audit").status_code == 200
    assert get(client, browser_for, user, "/api/v1/cases").status_code == 404


def test_an_admin_sees_no_case_content(client, world, browser_for):
    user = world.own.people["admin"]
    for path in (
        "/api/v1/cases",
        f"/api/v1/cases/{world.own.case.code}",
        "/api/v1/children",
        "/api/v1/escalations",
        "/api/v1/audit",
    ):
        assert get(client, browser_for, user, path).status_code == 404, path


def test_only_the_supervisor_approves_separates_closes_and_reopens():
    definition = workflow.latest("child_protection")
    assert supervisor_events(definition) == {
        "record_separation",
        "approve_plan",
        "reject_plan",
        "close",
        "reopen",
    }


def test_reporter_identity_is_in_no_answer_to_an_agency(client, world, browser_for, session):
    """Every route, GET or POST, for every agency person of both communes.

    Each person's sweep runs in a savepoint rolled back afterwards, so each starts from the
    same world. Without it the thousands of requests, each appending to the audit chain,
    pile up inside the test's one transaction: PostgreSQL then walks every earlier version
    of the chain's head row, written by thousands of subtransactions, at each append, and
    the test slowed from seconds to minutes."""
    routes = [e for e in endpoints(client.app) if not e.public and "{event}" not in e.path]
    agency_people = [
        user
        for place in (world.own, world.other)
        for name, user in place.people.items()
        if name.endswith((".officer", ".head"))
    ]
    assert len(routes) > 40
    assert len(agency_people) >= 8
    shown_the_child = 0
    for user in agency_people:
        # A route without a case, task or escalation in its path is the same for both places.
        paths = {
            (
                endpoint.method,
                endpoint.path.replace("{code}", place.case.code)
                .replace("{task_id}", str(place.tasks[next(iter(place.tasks))].id))
                .replace("{escalation_id}", str(place.escalation.id)),
            ): endpoint.path
            for endpoint in routes
            for place in (world.own, world.other)
        }
        sweep = session.begin_nested()
        for (method, path), route in paths.items():
            response = client.request(
                method,
                path,
                headers=browser_for(user),
                json={} if method != "GET" else None,
                follow_redirects=False,
            )
            client.cookies.clear()
            for trace in REPORTER_TRACES:
                assert trace not in response.text, (user.username, route)
            shown_the_child += "Nguyễn Thị Hoa" in response.text
        sweep.rollback()
    assert shown_the_child > 0  # the sweep did reach the pages an agency sees of a case


@pytest.mark.parametrize(
    ("who", "side", "assign", "take"),
    [
        ("supervisor", "own", 422, 200),  # may assign (the empty body is refused per field)
        ("caseworker", "own", 403, 200),
        ("police.officer", "own", 403, 403),
        ("police.head", "own", 403, 403),
        ("caseworker", "other", 403, 404),  # no caseworker may assign: refused before the case
        ("supervisor", "other", 404, 404),
        ("collaborator", "own", 404, 404),
        ("auditor", "own", 404, 404),
        ("admin", "own", 404, 404),
        ("province_viewer", "own", 404, 404),
    ],
)
def test_only_the_supervisor_assigns_a_case_and_the_communes_caseworkers_take_it(
    client, world, browser_for, who, side, assign, take
):
    user = getattr(world, side).people[who]
    code = world.own.case.code
    for verb, expected in (("assign", assign), ("take", take)):
        response = client.post(f"/api/v1/cases/{code}/{verb}", json={}, headers=browser_for(user))
        client.cookies.clear()
        assert response.status_code == expected, (verb, response.text)
