"""Which column holds what: the target's fields, the headings communes use for them, and
the mapping a commune confirmed last time for the same headings.

Headings are compared folded (no diacritics, no case, punctuation as spaces): "Họ và tên",
"HO VA TEN" and "Họ và tên:" are one heading. A heading over two rows ("Họ tên cha, mẹ"
above "Cha") is also tried by its last words ("cha").
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import Session, select

from casework import text
from casework.registry.imports.models import ImportMapping

_NOT_WORD = re.compile(r"[^a-z0-9]+")


def heading_key(heading: str) -> str:
    return _NOT_WORD.sub(" ", text.fold(heading)).strip()


@dataclass(frozen=True)
class FieldSpec:
    name: str
    label_vi: str
    label_en: str
    aliases: tuple[str, ...]
    required: bool = False

    def keys(self) -> frozenset[str]:
        return frozenset(heading_key(alias) for alias in (self.label_vi, *self.aliases))


@dataclass(frozen=True)
class Fields:
    """A target's fields in the order a form lists them; ``one_of``: groups of fields of
    which at least one must be mapped (a date of birth or a birth year)."""

    specs: tuple[FieldSpec, ...]
    one_of: tuple[tuple[str, ...], ...] = ()
    ignored: frozenset[str] = field(default_factory=frozenset)  # "STT", "Ghi chú"

    def __post_init__(self) -> None:
        by_key: dict[str, str] = {}
        for spec in self.specs:
            for key in spec.keys():  # noqa: SIM118  (FieldSpec.keys, not a dict)
                by_key.setdefault(key, spec.name)
        object.__setattr__(self, "_by_key", by_key)

    @property
    def names(self) -> list[str]:
        return [spec.name for spec in self.specs]

    def spec(self, name: str) -> FieldSpec:
        return next(spec for spec in self.specs if spec.name == name)

    def recognise(self, heading: str) -> str | None:
        """The field a heading names, if it is one the target knows."""
        key = heading_key(heading)
        if not key:
            return None
        by_key: dict[str, str] = self._by_key  # type: ignore[attr-defined]
        if key in by_key:
            return by_key[key]
        words = key.split(" ")
        for start in range(1, len(words)):  # "ho ten cha me cha" -> "cha"
            found = by_key.get(" ".join(words[start:]))
            if found:
                return found
        return None

    def sighted(self, heading: str) -> str | None:
        """What the header search counts: a field, or an ignored column ("STT")."""
        key = heading_key(heading)
        return self.recognise(heading) or (key if key in self.ignored else None)

    def auto(self, headings: Sequence[str]) -> list[str | None]:
        """Each column's field from its heading; a field goes to its first column only."""
        taken: set[str] = set()
        mapping: list[str | None] = []
        for heading in headings:
            name = self.recognise(heading)
            if name in taken:
                name = None
            if name:
                taken.add(name)
            mapping.append(name)
        return mapping

    def missing(self, mapping: Sequence[str | None]) -> list[str]:
        """The required fields (and groups of fields) no column is mapped to, as labels."""
        mapped = {name for name in mapping if name}
        gaps = [spec.label_vi for spec in self.specs if spec.required and spec.name not in mapped]
        for group in self.one_of:
            if not mapped & set(group):
                gaps.append(" / ".join(self.spec(name).label_vi for name in group))
        return gaps

    def clean(self, mapping: Sequence[str | None], width: int) -> list[str | None]:
        """A posted mapping made safe: known names only, each at most once, one per column."""
        seen: set[str] = set()
        result: list[str | None] = []
        for name in list(mapping)[:width] + [None] * (width - len(mapping)):
            if name in self.names and name not in seen:
                seen.add(name)
                result.append(name)
            else:
                result.append(None)
        return result


def headings_key(headings: Sequence[str]) -> str:
    joined = "\x1f".join(heading_key(heading) for heading in headings)
    return hashlib.sha256(joined.encode()).hexdigest()


def remembered(
    session: Session, *, commune_id: int, target: str, headings: Sequence[str]
) -> list[str | None] | None:
    row = session.exec(
        select(ImportMapping).where(
            ImportMapping.commune_id == commune_id,
            ImportMapping.target == target,
            ImportMapping.headings_key == headings_key(headings),
        )
    ).first()
    if row is None or len(row.mapping) != len(headings):
        return None
    return list(row.mapping)


def remember(
    session: Session,
    *,
    commune_id: int,
    target: str,
    headings: Sequence[str],
    mapping: Sequence[str | None],
    user_id: int,
    now: datetime,
) -> None:
    """Keep this mapping for the next file of the commune with the same headings."""
    key = headings_key(headings)
    row = session.exec(
        select(ImportMapping).where(
            ImportMapping.commune_id == commune_id,
            ImportMapping.target == target,
            ImportMapping.headings_key == key,
        )
    ).first()
    if row is None:
        row = ImportMapping(
            commune_id=commune_id, target=target, headings_key=key, updated_by_id=user_id,
            updated_at=now,
        )  # fmt: skip
    row.mapping = list(mapping)
    row.updated_by_id, row.updated_at = user_id, now
    session.add(row)
    session.flush()
