"""What every target's check finds in the rows: problems (or notes) per row and column,
kept the same way between the dry run and the import."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    """A row's problem (or, ``note``, what happened to it), for the report."""

    row: int
    field: str | None
    code: str
    params: dict[str, Any] = field(default_factory=dict)
    note: bool = False


@dataclass
class Refusals:
    """The problems found so far and the rows they make bad (a target's ``Checked``)."""

    problems: list[Problem] = field(default_factory=list)
    bad_rows: set[int] = field(default_factory=set)

    def refuse(
        self, row: int, name: str | None, code: str, params: dict[str, Any] | None = None
    ) -> None:
        self.problems.append(Problem(row, name, code, params or {}))
        self.bad_rows.add(row)

    def parse(self, schema: type[M], row: int, raw: dict[str, Any]) -> M | None:
        """The row read with the target's schema, or None with each field's problem kept."""
        try:
            return schema.model_validate(raw)
        except ValidationError as exc:
            for error in exc.errors(include_url=False, include_input=False):
                name = str(error["loc"][0]) if error["loc"] else None
                self.refuse(row, name, error["type"], dict(error.get("ctx") or {}))
            return None

    def dumped_problems(self) -> list[list[Any]]:
        return [[p.row, p.field, p.code, p.params] for p in self.problems]

    def load_problems(self, kept: list[list[Any]]) -> None:
        for row, name, code, params in kept:
            self.refuse(row, name, code, params)


@dataclass(frozen=True)
class Written:
    """What an import wrote: records made, rows that found theirs already there, and (for
    children) special-circumstance groups added."""

    created: int
    linked: int = 0
    groups: int = 0
    ids: tuple[int, ...] = ()  # the records made, for the audit log (not for children: many)
