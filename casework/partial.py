"""What can be read of a body its schema refused: each field that is valid on its own.

A refused form or API body is answered with every problem at once (UX.md §1.1): the
schema's own field errors and, beside them, the rules that compare fields (a receipt
before the child's birth) for the fields that could be read. Those rules take plain
values by field name, from ``readable`` for a refused body or ``model_dump`` for an
accepted one, so they are written once.
"""

from __future__ import annotations

import types
from collections.abc import Mapping
from functools import lru_cache
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel, TypeAdapter, ValidationError


def readable(model: type[BaseModel], raw: object) -> dict[str, Any]:
    """The fields of ``raw`` that ``model`` accepts one by one, as ``model_dump`` gives them;
    a nested model is read field by field too. A field left out takes its default; a
    required field left out, or a field in error, is absent: a rule needing it does not run.
    """
    if not isinstance(raw, Mapping):
        return {}
    found: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if name not in raw:
            if not info.is_required():
                found[name] = info.get_default(call_default_factory=True)
            continue
        value = raw[name]
        inner = _model_in(info.annotation)
        if inner is not None and isinstance(value, Mapping):
            found[name] = readable(inner, value)
            continue
        adapter = _adapter(model, name)
        try:
            found[name] = adapter.dump_python(adapter.validate_python(value))
        except ValidationError:
            continue
    return found


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The model a field holds (``ChildCreate`` for ``ChildCreate | None``), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if get_origin(annotation) in (Union, types.UnionType):
        models = [a for a in get_args(annotation) if _model_in(a) is not None]
        return models[0] if len(models) == 1 else None
    return None


@lru_cache(maxsize=512)
def _adapter(model: type[BaseModel], name: str) -> TypeAdapter[Any]:
    info = model.model_fields[name]
    if not info.metadata:
        return TypeAdapter(info.annotation)
    return TypeAdapter(Annotated[(info.annotation, *info.metadata)])  # type: ignore[misc]
