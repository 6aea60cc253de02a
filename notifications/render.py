"""Turn a queued message into the words that leave: an e-mail (subject, plain text and a
simple HTML part made from the same text) or an SMS.

One template per kind and language, ``notifications/<language>/<kind>.txt``, with three
blocks: ``subject``, ``body`` (the e-mail) and ``sms``. The caller supplies the Jinja2
environment (the application's one, autoescaped for HTML) and an ``enrich`` function that
adds what the templates show besides the stored context (a link, a local time, a label).
A language without a template falls back to the default language.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, Template, TemplateNotFound

from notifications.models import Channel
from notifications.sms_text import SmsSize, measure, unaccent

FOLDER = "notifications"
LAYOUT = f"{FOLDER}/_layout.html"
_SPACES = re.compile(r"\s+")
_BLANK_LINES = re.compile(r"\n\s*\n+")

Enrich = Callable[[str, str, Mapping[str, Any]], Mapping[str, Any]]


@dataclass(frozen=True)
class SmsKind:
    """What the carrier registered for one kind of SMS: the brandname template's id, how
    many segments it may cost, and whether it goes without diacritics (GSM-7)."""

    template_id: str = ""
    max_segments: int = 1
    unaccented: bool = True


@dataclass(frozen=True)
class Rendered:
    template_id: str
    subject: str | None
    text: str
    html: str | None = None
    size: SmsSize | None = None

    @property
    def over_budget(self) -> bool:
        return False


@dataclass(frozen=True)
class RenderedSms(Rendered):
    budget: int = 1

    @property
    def over_budget(self) -> bool:
        return self.size is not None and self.size.segments > self.budget


class MissingTemplate(LookupError):
    pass


@dataclass
class Renderer:
    env: Environment
    enrich: Enrich = lambda _kind, _language, _context: {}
    sms_kinds: Mapping[str, SmsKind] = field(default_factory=dict)
    default_language: str = "vi"

    def _template(self, kind: str, language: str) -> Template:
        for lang in dict.fromkeys((language, self.default_language)):
            try:
                return self.env.get_template(f"{FOLDER}/{lang}/{kind}.txt")
            except TemplateNotFound:
                continue
        raise MissingTemplate(f"no template for message kind {kind!r}")

    def _blocks(
        self, template: Template, names: tuple[str, ...], values: dict[str, Any]
    ) -> list[str]:
        """The named blocks rendered from one context (one set of values, one lookup)."""
        context = template.new_context(values)
        found = []
        for name in names:
            if name not in template.blocks:
                raise MissingTemplate(f"{template.name} has no block {name!r}")
            found.append("".join(template.blocks[name](context)))
        return found

    def values(self, kind: str, language: str, context: Mapping[str, Any]) -> dict[str, Any]:
        return {**context, **self.enrich(kind, language, context), "kind": kind}

    def email(self, *, kind: str, language: str, context: Mapping[str, Any]) -> Rendered:
        template = self._template(kind, language)
        values = self.values(kind, language, context)
        subject, body = self._blocks(template, ("subject", "body"), values)
        subject = _SPACES.sub(" ", subject).strip()
        text = _BLANK_LINES.sub("\n\n", body).strip() + "\n"
        return Rendered(
            template_id=f"{language}/{kind}",
            subject=subject,
            text=text,
            html=self.html(subject=subject, text=text),
        )

    def html(self, *, subject: str, text: str) -> str:
        """The HTML part: the plain text's paragraphs and lines, links made clickable; every
        value escaped by the environment's autoescaping."""
        paragraphs = [p.splitlines() for p in text.strip().split("\n\n")]
        return self.env.get_template(LAYOUT).render(subject=subject, paragraphs=paragraphs)

    def sms(self, *, kind: str, language: str, context: Mapping[str, Any]) -> RenderedSms:
        spec = self.sms_kinds.get(kind, SmsKind())
        template = self._template(kind, language)
        [sms] = self._blocks(template, ("sms",), self.values(kind, language, context))
        text = _SPACES.sub(" ", sms)
        text = text.strip()
        if spec.unaccented:
            text = unaccent(text)
        return RenderedSms(
            template_id=spec.template_id or kind,
            subject=None,
            text=text,
            size=measure(text),
            budget=spec.max_segments,
        )

    def render(
        self, *, channel: str, kind: str, language: str, context: Mapping[str, Any]
    ) -> Rendered:
        if channel == Channel.sms:
            return self.sms(kind=kind, language=language, context=context)
        return self.email(kind=kind, language=language, context=context)
