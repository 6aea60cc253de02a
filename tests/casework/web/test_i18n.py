"""Vietnamese by default, English when chosen; no page string without its English."""

from __future__ import annotations

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from casework.web import i18n

ROOT = Path(__file__).resolve().parents[3]
METHODS = [("casework/**.py", "python"), ("templates/**.html", "jinja2")]
OPTIONS = {"templates/**.html": {"extensions": "jinja2.ext.i18n"}}


def _page_strings() -> set[str]:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT,
        method_map=METHODS,
        options_map=OPTIONS,
        keywords={"_": None, "gettext": None, "ngettext": (1, 2), "N_": None},
    ):
        found.update([message] if isinstance(message, str) else [m for m in message if m])
    return found


def test_every_page_string_has_its_english_translation():
    with i18n.catalogue_path("en").open("rb") as po:
        catalogue = read_po(po, locale="en")
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0])
        for m in catalogue
        if m.id and m.string and not m.fuzzy
    }
    missing = sorted(_page_strings() - translated)
    assert missing == [], "run `make messages`, then translate in messages.po: " + repr(missing)


def test_pages_are_vietnamese_unless_english_is_chosen(client):
    assert "Đăng nhập" in client.get("/dang-nhap").text
    client.cookies.set(i18n.COOKIE, "en")
    page = client.get("/dang-nhap").text
    assert '<html lang="en"' in page
    assert "Log in" in page
    assert "Hotline 111" in page


def test_the_language_switch_returns_to_the_same_page_and_never_elsewhere(client):
    answer = client.get("/ngon-ngu?lang=en&next=/dang-nhap", follow_redirects=False)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/dang-nhap"
    assert "lang=en" in answer.headers["set-cookie"]
    elsewhere = client.get("/ngon-ngu?lang=en&next=//evil.example", follow_redirects=False)
    assert elsewhere.headers["location"] == "/"
    unknown = client.get("/ngon-ngu?lang=fr&next=/", follow_redirects=False)
    assert "set-cookie" not in unknown.headers
