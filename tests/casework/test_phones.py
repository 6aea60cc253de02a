import pytest

from casework.agencies.models import Agency, AgencyKind
from casework.phones import InvalidPhone, national, to_e164
from tests.factories.browsing import browser


@pytest.mark.parametrize(
    "raw", ["0912345678", "0912 345 678", "0912.345.678", "+84912345678", "84 912 345 678"]
)
def test_mobile_numbers_in_any_format(raw):
    assert to_e164(raw) == "+84912345678"


def test_hanoi_landline():
    assert to_e164("024 3223 3111") == "+842432233111"


@pytest.mark.parametrize("raw", ["0123", "abc", "", "0000000000"])
def test_malformed_numbers(raw):
    with pytest.raises(InvalidPhone):
        to_e164(raw)


@pytest.mark.parametrize(
    ("stored", "written"),
    [("+84912111222", "0912 111 222"), ("+842432233111", "024 3223 3111"), (None, "")],
)
def test_a_stored_number_reads_as_people_write_it(stored, written):
    assert national(stored) == written


def test_pages_show_phone_numbers_as_people_write_them(client, world, browser_for, session):
    """The reporter and caregivers on the case page, an agency's and a person's own number:
    "0912 345 678", never the stored "+84912345678"."""
    caseworker = world.own.people["caseworker"]
    caseworker.phone = "+84912111222"
    agency = session.get_one(Agency, world.own.tasks[AgencyKind.police].agency_id)
    agency.phone = "+842432233111"
    session.add_all([caseworker, agency])
    session.commit()
    case_page = browser(client, browser_for, caseworker).get(f"/ho-so/{world.own.case.code}")
    assert "0912 345 678" in case_page.text  # the reporter
    account = browser(client, browser_for, caseworker).get("/tai-khoan")
    assert "0912 111 222" in account.text
    admin = browser(client, browser_for, world.own.people["admin"])
    assert "024 3223 3111" in admin.get("/quan-tri/co-quan").text
    assert 'value="024 3223 3111"' in admin.get(f"/quan-tri/co-quan/{agency.id}").text
    for page in (case_page, account):
        assert "+849" not in page.text
