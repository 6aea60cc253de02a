"""The one Jinja2 environment (autoescaped) for pages; notification texts will share it.

Templates get ``csrf_field()`` (the hidden input every POST form must carry) and
``csrf_token()`` (for ``<meta name="csrf-token">``, which HTMX requests send back in the
``X-CSRF-Token`` header); both read the request from the template context.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from markupsafe import Markup

from casework.web import csrf

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"


@pass_context
def _csrf_field(context: Any) -> Markup:
    return csrf.hidden_field(context["request"])


@pass_context
def _csrf_token(context: Any) -> str:
    return csrf.token(context["request"])


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATE_DIR),
        autoescape=select_autoescape(["html", "xml"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # Vietnamese is written directly in the templates until the web UI issue adds catalogues.
    env.install_null_translations(newstyle=True)  # type: ignore[attr-defined]
    env.globals["csrf_field"] = _csrf_field
    env.globals["csrf_token"] = _csrf_token
    return env


def make_templates() -> Jinja2Templates:
    return Jinja2Templates(env=make_environment())
