"""When a report was first received: never before the child was born nor before 2000, long
ago only when confirmed as passed on late, and every problem of a report in one answer."""

from __future__ import annotations

import pytest

from casework.config import Settings
from tests.casework.intake.test_validation import assert_nothing_saved, errors_of
from tests.factories.communes import create_commune
from tests.factories.intakes import intake_payload

# The suite's now is 09:00 on Monday 2 March 2026 in Hà Nội.
FORTY_SIX_DAYS_AGO = "2026-01-15T08:00:00+07:00"
TWENTY_NINE_DAYS_AGO = "2026-02-01T09:30:00+07:00"


@pytest.fixture
def commune(session, now, act_as):
    commune = create_commune(session, now=now)
    session.commit()
    act_as("td.caseworker")
    return commune


def post(client, **overrides):
    return client.post("/api/v1/intakes", json=intake_payload(**overrides))


@pytest.mark.parametrize(
    "received",
    [
        "1900-01-01T00:00:00+07:00",  # shown as 00:06, the zone's old local mean time
        "0001-01-01T00:00:00+07:00",  # before year 1 in UTC: no database can hold it
        "0001-01-01T00:00:00+00:00",
        "1999-12-31T23:59:00+07:00",
    ],
)
def test_a_receipt_before_2000_is_refused_on_its_field(client, commune, session, received):
    errors = errors_of(post(client, first_received_at=received, late_report_confirmed=True))
    error = errors["first_received_at"]
    assert error["type"] == "time_too_early"
    assert error["msg"] == "Thời điểm tiếp nhận đầu tiên phải từ ngày 01/01/2000 trở đi"
    assert error["msg_en"] == "First receipt time must be on or after 01/01/2000"
    assert_nothing_saved(session)


def test_a_receipt_before_the_child_was_born_is_refused(client, commune, session):
    # the child was born on 14 May 2016; the report says it came three days earlier
    received = "2016-05-11T08:00:00+07:00"
    errors = errors_of(post(client, first_received_at=received, late_report_confirmed=True))
    error = errors["first_received_at"]
    assert error["type"] == "received_before_birth"
    assert error["msg"] == (
        "Thời điểm tiếp nhận đầu tiên phải từ ngày sinh của trẻ (14/05/2016) trở đi"
    )
    assert error["msg_en"] == (
        "First receipt time must be on or after the child's date of birth (14/05/2016)"
    )
    assert_nothing_saved(session)


def test_a_receipt_before_the_estimated_birth_year_is_refused(client, commune):
    payload = {"child.date_of_birth": None, "child.birth_year_estimate": 2017}
    errors = errors_of(
        post(
            client,
            first_received_at="2016-12-30T08:00:00+07:00",
            late_report_confirmed=True,
            **payload,
        )
    )
    assert errors["first_received_at"]["msg"] == (
        "Thời điểm tiếp nhận đầu tiên phải từ năm sinh của trẻ (2017) trở đi"
    )


def test_a_receipt_before_a_known_childs_birth_is_refused(client, commune):
    child_id = post(client).json()["child_id"]
    errors = errors_of(
        post(
            client,
            child=None,
            child_id=child_id,
            first_received_at="2016-05-01T08:00:00+07:00",
            late_report_confirmed=True,
        )
    )
    assert errors["first_received_at"]["type"] == "received_before_birth"


def test_a_receipt_more_than_30_days_ago_must_be_confirmed_as_passed_on_late(
    client, commune, session
):
    errors = errors_of(post(client, first_received_at=FORTY_SIX_DAYS_AGO))
    error = errors["late_report_confirmed"]
    assert error["type"] == "late_report_unconfirmed"
    assert error["msg"] == (
        "Thời điểm tiếp nhận đầu tiên đã cách đây 46 ngày (quá 30 ngày). Kiểm tra lại; nếu "
        "đúng, chọn “Báo cáo được chuyển muộn”"
    )
    assert error["loc"] == ["body", "late_report_confirmed"]
    assert_nothing_saved(session)


def test_a_late_report_confirmed_says_so_on_the_report_and_in_the_history(client, commune):
    response = post(client, first_received_at=FORTY_SIX_DAYS_AGO, late_report_confirmed=True)
    assert response.status_code == 201, response.text
    case = client.get(f"/api/v1/cases/{response.json()['case_code']}").json()
    assert case["reports"][0]["late_report_confirmed"] is True
    [opened] = case["events"]
    assert opened["event"] == "receive"
    assert opened["payload"]["late_report_days"] == 46


def test_a_later_report_passed_on_late_says_so_where_it_joins_the_case(client, commune):
    first = post(client).json()
    again = post(
        client,
        child=None,
        child_id=first["child_id"],
        first_received_at=FORTY_SIX_DAYS_AGO,
        late_report_confirmed=True,
    )
    assert again.status_code == 201, again.text
    case = client.get(f"/api/v1/cases/{first['case_code']}").json()
    joined = next(e for e in case["events"] if e["event"] == "attach_report")
    assert joined["payload"]["late_report_days"] == 46


def test_a_receipt_within_30_days_needs_no_confirmation(client, commune):
    response = post(client, first_received_at=TWENTY_NINE_DAYS_AGO)
    assert response.status_code == 201, response.text
    case = client.get(f"/api/v1/cases/{response.json()['case_code']}").json()
    assert case["reports"][0]["late_report_confirmed"] is False
    assert "late_report_days" not in case["events"][0]["payload"]


def test_the_number_of_days_is_a_setting(client, commune, monkeypatch):
    monkeypatch.setenv("CASEWORK_LATE_REPORT_DAYS", "7")
    assert Settings(_env_file=None).late_report_days == 7
    settings = client.app.state.settings
    monkeypatch.setattr(
        client.app.state, "settings", settings.model_copy(update={"late_report_days": 7})
    )
    received = "2026-02-20T09:00:00+07:00"  # ten days ago
    assert errors_of(post(client, first_received_at=received))["late_report_confirmed"]
    assert post(client, first_received_at=received, late_report_confirmed=True).status_code == 201


def test_field_errors_and_the_rules_between_fields_come_in_one_answer(client, commune, session):
    errors = errors_of(
        post(
            client,
            description="",  # the schema's own: before, only these came back ...
            harm_forms=["bullying"],
            reporter={"relation": "hàng xóm"},  # ... and these only once they were fixed
            first_received_at="2016-05-11T08:00:00+07:00",
        )
    )
    assert set(errors) == {
        "description",
        "harm_forms.0",
        "reporter.name",
        "first_received_at",
        "late_report_confirmed",
    }
    assert errors["first_received_at"]["type"] == "received_before_birth"
    assert_nothing_saved(session)


def test_a_field_in_error_is_not_judged_again_by_a_rule(client, commune):
    # An impossible birth date cannot be compared with the receipt: one message, its own,
    # beside the other answers' problems.
    errors = errors_of(
        post(
            client,
            description="",
            reporter={"relation": "hàng xóm"},
            first_received_at="2016-01-11T08:00:00+07:00",
            late_report_confirmed=True,
            **{"child.date_of_birth": "2016-02-30"},
        )
    )
    assert set(errors) == {"description", "child.date_of_birth", "reporter.name"}
    assert errors["child.date_of_birth"]["msg"].startswith("Ngày sinh phải là ngày")


def test_an_unknown_village_comes_back_with_the_date_rules(client, commune):
    errors = errors_of(
        post(
            client,
            first_received_at="2026-03-02T10:00:00+07:00",  # an hour from now
            **{"child.village": "Thôn Mới"},
        )
    )
    assert set(errors) == {"first_received_at", "child.village"}
    assert errors["child.village"]["type"] == "village_not_found"
