"""The villages target of the import: a commune's thôn, bản, tổ dân phố from a
spreadsheet, through the register's one pipeline. Each row is a village's name, checked
as the administrator's form checks it (``villages.add_village``): a name that reads as one
already in the file, or as one the commune has, is refused naming which; a village the
commune has under exactly that name (an earlier import of the list) is noted and left as
it is. Each village is added with its head's board, as one typed in would be.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict
from sqlmodel import Session, select

from casework import text
from casework.communes import villages
from casework.communes.models import Village
from casework.registry.imports.mapping import Fields, FieldSpec
from casework.registry.imports.rows import Problem, Refusals, Written
from casework.registry.imports.values import as_text
from casework.schemas_common import Name

TARGET = "villages"

FIELDS = Fields(
    specs=(
        FieldSpec("village", "Tên thôn", "Village",
                  ("Thôn", "Bản", "Xóm", "Thôn/bản", "Thôn, bản", "Tổ dân phố", "Tên thôn/bản",
                   "Tên thôn, bản", "Thôn, tổ dân phố", "Tên thôn, tổ dân phố"), required=True),
    ),
    ignored=frozenset({"stt", "so tt", "ghi chu", "tt"}),
)  # fmt: skip


class VillageRow(BaseModel):
    model_config = ConfigDict(extra="ignore")

    village: Annotated[Name, BeforeValidator(as_text)]


@dataclass(frozen=True)
class Named:
    row: int
    name: str
    existing_id: int | None = None


@dataclass
class Checked(Refusals):
    valid: list[Named] = field(default_factory=list)
    planned: list[Named] = field(default_factory=list)


def prepare(session: Session, rows: Sequence[dict[str, Any]], *, commune_id: int) -> None:
    return None  # the commune's villages are read when matching


def validate(
    rows: Sequence[tuple[int, dict[str, Any]]],
    *,
    prepared: None,
    today: date,
    progress: Callable[[int], None],
) -> Checked:
    """Each name as the form takes it; a name the file has already is refused."""
    checked = Checked()
    seen: dict[str, int] = {}
    for row, raw in rows:
        data = checked.parse(VillageRow, row, raw)
        if data is None:
            continue
        key = text.fold(data.village)
        first = next((seen[k] for k in seen if villages.clash(k, key)), None)
        if first is not None:
            checked.refuse(row, "village", "import_duplicate_village", {"first": first})
            continue
        seen[key] = row
        checked.valid.append(Named(row, data.village))
    progress(len(rows))
    return checked


def match(session: Session, checked: Checked, *, commune_id: int) -> None:
    """Against the commune's villages: the same name is noted; one that reads the same
    (without accents, or without its kind word) is refused, naming it."""
    have = session.exec(
        select(Village).where(Village.commune_id == commune_id, Village.live())
    ).all()
    checked.planned = []
    for named in checked.valid:
        key = text.fold(named.name)
        same = next((v for v in have if v.name_key == key), None)
        if same is not None:
            checked.planned.append(Named(named.row, named.name, same.id))
            checked.problems.append(Problem(named.row, None, "import_village_existing",
                                            {"existing": same.name}, note=True))  # fmt: skip
            continue
        near = next((v for v in have if villages.clash(v.name_key, key)), None)
        if near is not None:
            checked.refuse(named.row, "village", "village_exists", {"existing": near.name})
            continue
        checked.planned.append(named)


def write(session: Session, planned: Sequence[Named], *, commune_id: int, **_: Any) -> Written:
    """Each new village with its head's board."""
    new = [named for named in planned if named.existing_id is None]
    made = [villages.add_village(session, commune_id=commune_id, name=n.name).id for n in new]
    ids = tuple(village_id for village_id in made if village_id is not None)
    return Written(created=len(new), linked=len(planned) - len(new), ids=ids)


def dump(checked: Checked) -> dict[str, Any]:
    return {
        "valid": [[named.row, named.name] for named in checked.valid],
        "problems": checked.dumped_problems(),
    }


def load(kept: dict[str, Any]) -> Checked:
    checked = Checked()
    checked.load_problems(kept["problems"])
    checked.valid = [Named(row, name) for row, name in kept["valid"]]
    return checked
