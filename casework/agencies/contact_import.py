"""The agencies target of the import: a commune's agencies' contacts (and its schools) from
a spreadsheet, through the register's one pipeline.

A row names an agency as the commune writes it (``names.find``: its full name, or the
beginning of it when that is unambiguous) and gives its e-mail and phone, checked as the
administrator's contact form checks them; a blank cell leaves the contact as it is. A row
whose kind (Loại) is "Trường học" and whose name is no agency of the commune adds that
school, as Quản trị › Cơ quan does. Any other unknown name is refused: the standard
agencies came with the commune, and a list cannot invent one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import astuple, dataclass, field, replace
from datetime import date
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError
from sqlmodel import Session

from casework import text
from casework.admin.schemas import OptionalEmail
from casework.agencies import names, setup
from casework.agencies.models import Agency, AgencyKind
from casework.base import label
from casework.registry.imports.mapping import Fields, FieldSpec
from casework.registry.imports.rows import Refusals, Written
from casework.registry.imports.values import as_text, blank, parse_phone
from casework.schemas_common import Name, OptionalPhone

TARGET = "agencies"

FIELDS = Fields(
    specs=(
        FieldSpec("agency", "Cơ quan", "Agency",
                  ("Tên cơ quan", "Đơn vị", "Tên đơn vị", "Cơ quan, đơn vị", "Trường"),
                  required=True),
        FieldSpec("kind", "Loại", "Kind", ("Loại cơ quan", "Loại đơn vị")),
        FieldSpec("email", "Thư điện tử", "E-mail", ("Email", "E-mail", "Địa chỉ email")),
        FieldSpec("phone", "Điện thoại", "Phone",
                  ("Số điện thoại", "SĐT", "Điện thoại liên hệ", "Số di động")),
    ),
    ignored=frozenset({"stt", "so tt", "ghi chu", "tt"}),
)  # fmt: skip
_SCHOOL = {text.fold(label(AgencyKind.school, lang)) for lang in ("vi", "en")} | {"truong"}


def parse_kind(value: Any) -> Any:
    """Only "Trường học" means something here: a school to add if it is not there."""
    if blank(value):
        return None
    if text.fold(str(value)) in _SCHOOL:
        return AgencyKind.school
    raise PydanticCustomError("import_agency_kind", "not a kind", {"value": str(value)[:40]})


class ContactRow(BaseModel):
    model_config = ConfigDict(extra="ignore")

    agency: Annotated[Name, BeforeValidator(as_text)]
    kind: Annotated[AgencyKind | None, BeforeValidator(parse_kind)] = None
    email: Annotated[OptionalEmail, BeforeValidator(as_text)] = None
    phone: Annotated[OptionalPhone, BeforeValidator(parse_phone)] = None


@dataclass(frozen=True)
class Contact:
    row: int
    name: str
    school: bool
    email: str | None
    phone: str | None
    agency_id: int | None = None  # None: a school to add

    @property
    def existing_id(self) -> int | None:
        return self.agency_id


@dataclass
class Checked(Refusals):
    valid: list[Contact] = field(default_factory=list)
    planned: list[Contact] = field(default_factory=list)


def prepare(session: Session, rows: Sequence[dict[str, Any]], *, commune_id: int) -> None:
    return None  # the agencies are read when matching: a school added meanwhile counts


def validate(
    rows: Sequence[tuple[int, dict[str, Any]]],
    *,
    prepared: None,
    today: date,
    progress: Callable[[int], None],
) -> Checked:
    checked = Checked()
    for row, raw in rows:
        data = checked.parse(ContactRow, row, raw)
        if data is None:
            continue
        school = data.kind == AgencyKind.school
        checked.valid.append(Contact(row, data.agency, school, data.email, data.phone))
    progress(len(rows))
    return checked


def match(session: Session, checked: Checked, *, commune_id: int) -> None:
    """Each row's agency; an unknown school is to be added, any other unknown refused. Two
    rows for one agency are one too many."""
    known = names.agency_names(names.active_agencies(session, commune_id=commune_id))
    first: dict[object, int] = {}
    checked.planned = []
    for contact in checked.valid:
        found = names.find(contact.name, known)
        if found == names.UNKNOWN and contact.school:
            found_key: object = ("new school", text.fold(contact.name))
            planned = contact
        elif isinstance(found, str):
            code = "import_agency_unknown_school" if found == names.UNKNOWN else found
            checked.refuse(contact.row, "agency", code, {"value": contact.name})
            continue
        else:
            found_key, planned = found, replace(contact, agency_id=found)
        if found_key in first:
            checked.refuse(contact.row, "agency", "import_duplicate_agency",
                           {"first": first[found_key]})  # fmt: skip
            continue
        first[found_key] = contact.row
        checked.planned.append(planned)


def write(session: Session, planned: Sequence[Contact], *, commune_id: int, **_: Any) -> Written:
    """New schools added, and every row's contacts written where the cell was not blank."""
    schools: list[int] = []
    for contact in planned:
        if contact.agency_id is None:
            agency = setup.add_school(session, commune_id=commune_id, name=contact.name)
            assert agency.id is not None
            schools.append(agency.id)
        else:
            agency = session.get_one(Agency, contact.agency_id)
        agency.email = contact.email or agency.email
        agency.phone = contact.phone or agency.phone
        session.add(agency)
    session.flush()
    return Written(created=len(schools), linked=len(planned) - len(schools), ids=tuple(schools))


def dump(checked: Checked) -> dict[str, Any]:
    return {
        "valid": [list(astuple(contact)) for contact in checked.valid],
        "problems": checked.dumped_problems(),
    }


def load(kept: dict[str, Any]) -> Checked:
    checked = Checked()
    checked.load_problems(kept["problems"])
    checked.valid = [Contact(*values) for values in kept["valid"]]
    return checked
