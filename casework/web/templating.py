"""The one Jinja2 environment (autoescaped) for pages; notification texts share it.

Templates get:
- ``_()`` / ``ngettext()`` in the person's language (``casework.web.i18n``);
- the GOV.UK Frontend macros, unbranded (``{% from "govuk_frontend_jinja/components/
  button/macro.html" import govukButton %}``);
- ``csrf_field()`` (the hidden input every POST form must carry) and ``csrf_token()``
  (for ``<meta name="csrf-token">``, which HTMX requests send back in ``X-CSRF-Token``);
- ``label(choice)`` for a choice's words, and the filters ``local_datetime``,
  ``local_date`` (``dd/mm/yyyy HH:mm`` in the commune's zone), ``phone`` (a stored E.164
  number as people write it, "0912 345 678") and ``sla`` (a deadline's band and
  countdown text, computed here on the server: nothing ticks in the browser).
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi.templating import Jinja2Templates
from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    PackageLoader,
    PrefixLoader,
    pass_context,
    select_autoescape,
)
from jinja2.bccache import Bucket
from markupsafe import Markup

from casework import phones
from casework.base import Lang, label
from casework.deadlines import sla
from casework.schemas_common import NARRATIVE_MAX
from casework.web import csrf, i18n

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"
DEFAULT_TZ = ZoneInfo("Asia/Ho_Chi_Minh")
DATE = "%d/%m/%Y"
DATETIME = "%d/%m/%Y %H:%M"


class _CompiledTemplates(BytecodeCache):
    """Templates compiled once per process and shared by every environment made here.

    Compiling the pages takes seconds; each app (the tests make one per test) and each
    notification renderer has its own environment, and recompiled them all. The bucket's
    own checksum of the source is kept with the code, so an edited template is compiled
    again. Every environment from ``make_environment`` has the same settings, which is
    what makes their compiled code interchangeable."""

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


@pass_context
def _csrf_field(context: Any) -> Markup:
    return csrf.hidden_field(context["request"])


@pass_context
def _csrf_token(context: Any) -> str:
    return csrf.token(context["request"])


def _lang(context: Any) -> Lang:
    request = context.get("request")
    return i18n.lang_of(request) if request is not None else i18n.DEFAULT


@pass_context
def _label(context: Any, choice: StrEnum | None) -> str:
    return "" if choice is None else label(choice, _lang(context))


@pass_context
def _current_lang(context: Any) -> str:
    return _lang(context)


def make_environment(tz: ZoneInfo = DEFAULT_TZ) -> Environment:
    env = Environment(
        loader=ChoiceLoader(
            [
                FileSystemLoader(TEMPLATE_DIR),
                PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")}),
            ]
        ),
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_COMPILED,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        i18n.template_gettext, i18n.template_ngettext, newstyle=True
    )

    def local_datetime(moment: datetime | None) -> str:
        return moment.astimezone(tz).strftime(DATETIME) if moment else ""

    def local_date(moment: date | datetime | None) -> str:
        if moment is None:
            return ""
        day = moment.astimezone(tz).date() if isinstance(moment, datetime) else moment
        return day.strftime(DATE)

    @pass_context
    def deadline_state(context: Any, due_at: datetime, starts_at: datetime, now: datetime) -> Any:
        return sla.state(starts_at=starts_at, due_at=due_at, now=now, lang=_lang(context))

    @pass_context
    def waited(context: Any, since: datetime, now: datetime) -> str:
        return sla.waited(since=since, now=now, lang=_lang(context))

    env.filters["local_datetime"] = local_datetime
    env.filters["phone"] = phones.national
    env.filters["local_date"] = local_date
    env.globals["sla"] = deadline_state
    env.globals["waited"] = waited
    env.globals["csrf_field"] = _csrf_field
    env.globals["csrf_token"] = _csrf_token
    env.globals["label"] = _label
    env.globals["current_lang"] = _current_lang
    env.globals["languages"] = i18n.LANGUAGES
    env.globals["NARRATIVE_MAX"] = NARRATIVE_MAX
    return env


def make_templates(tz: ZoneInfo = DEFAULT_TZ) -> Jinja2Templates:
    return Jinja2Templates(env=make_environment(tz))
