"""Every long text box (a narrative: what happened, a note, a reason, an outcome) counts
its characters down to the schema's limit, and says the limit without JavaScript."""

from __future__ import annotations

import re

import pytest

from tests.factories.browsing import browser


def text_areas(html: str) -> list[str]:
    return re.findall(r"<textarea[^>]*>", html)


def counted(html: str) -> list[str]:
    """The text areas inside GOV.UK Frontend's character count, with its limit."""
    groups = re.findall(
        r'data-module="govuk-character-count" data-maxlength="5000".*?(<textarea[^>]*>)',
        html,
        re.S,
    )
    return [area for area in groups if "govuk-js-character-count" in area]


@pytest.mark.parametrize(
    ("who", "path"),
    [
        ("collaborator", "/bao-cao/moi"),
        ("police.officer", "/nhiem-vu/{police_task}"),
        ("supervisor", "/leo-thang/{escalation}"),
        ("caseworker", "/ho-so/{case}/su-kien/start_assessment"),
    ],
)
def test_each_long_text_box_counts_its_characters(client, world, browser_for, who, path):
    place = world.own
    url = path.format(
        police_task=place.tasks["police"].id, escalation=place.escalation.id, case=place.case.code
    )
    page = browser(client, browser_for, place.people[who]).get(url)
    assert page.status_code == 200
    areas = text_areas(page.text)
    assert areas
    assert counted(page.text) == areas
    assert "Bạn có thể nhập tối đa 5.000 ký tự" in page.text
