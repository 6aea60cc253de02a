"""Languages of the pages: Vietnamese by default, English when a person chooses it.

The templates are written in Vietnamese (``_("Đăng nhập")``): the words the commune's
staff know, and what a page shows if a translation is missing. The English catalogue is
``casework/locale/en/LC_MESSAGES/messages.po`` (Babel), read at start-up: there is no
compiled file to forget. ``make messages`` extracts new strings into it; a test fails
while any string lacks its English.
"""

from __future__ import annotations

import gettext
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from jinja2 import pass_context
from starlette.requests import Request

from casework.base import Lang

LANGUAGES: dict[Lang, str] = {"vi": "Tiếng Việt", "en": "English"}
DEFAULT: Lang = "vi"
COOKIE = "lang"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "messages"


def catalogue_path(lang: Lang) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: Lang) -> gettext.NullTranslations:
    """The catalogue of ``lang``; Vietnamese is the templates' own language."""
    if lang == DEFAULT:
        return gettext.NullTranslations()
    with catalogue_path(lang).open("rb") as po:
        catalog = read_po(po, locale=lang)
    compiled = BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def lang_of(request: Request) -> Lang:
    """The language a person chose (a cookie set by the switch in the page header)."""
    chosen = request.cookies.get(COOKIE)
    return chosen if chosen in LANGUAGES else DEFAULT  # type: ignore[return-value]


def _lang_of_context(context: Any) -> Lang:
    request = context.get("request")
    return lang_of(request) if request is not None else DEFAULT


@pass_context
def template_gettext(context: Any, message: str) -> str:
    return translations(_lang_of_context(context)).gettext(message)


@pass_context
def template_ngettext(context: Any, singular: str, plural: str, n: int) -> str:
    return translations(_lang_of_context(context)).ngettext(singular, plural, n)


def N_(message: str) -> str:  # noqa: N802  (the name Babel's extractor looks for)
    """Mark a string for translation where it is defined; translate it where it is shown."""
    return message


def gettext_for(request: Request, message: str) -> str:
    """Translate a message from Python code (a page title, a notice) for this request."""
    return translations(lang_of(request)).gettext(message)
