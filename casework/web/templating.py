"""The one Jinja2 environment (autoescaped) for pages; notification texts will share it."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

TEMPLATE_DIR = Path(__file__).resolve().parents[2] / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"


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
    return env


def make_templates() -> Jinja2Templates:
    return Jinja2Templates(env=make_environment())
