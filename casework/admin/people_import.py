"""The people target of the import: a commune's accounts from a spreadsheet (name,
username, role, agency or village, phone, e-mail), through the register's one pipeline
(column mapping, dry run, row report, all-or-nothing or valid rows only).

Each row is checked with the rules of the administrator's form (``UserCreate``): a
username of the allowed letters, a role a commune's person may have (typed in Vietnamese
as the app names it), an agency for agency officers and heads, an e-mail or a phone for
the activation link. The agency is found by its name without diacritics, or by the
beginning of it ("Công an" is "Công an xã Thất Khê") when only one agency of the commune
begins so; a village names its head's board. A caseworker with no agency belongs to the
culture and social office, as the demo's do. Nobody gets a password: each person made
gets an activation link (``accounts.activation``), in the import's one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic_core import PydanticCustomError
from sqlmodel import Session, select

from casework import text
from casework.accounts import activation
from casework.accounts.models import COMMUNE_ROLES, Role, User
from casework.accounts.service import AGENCY_ROLES
from casework.admin.schemas import OptionalEmail, Username
from casework.agencies import names
from casework.agencies.models import AgencyKind
from casework.base import label
from casework.children.service import resolve_village
from casework.communes.models import Commune
from casework.config import Settings
from casework.errors import InvalidInput
from casework.registry.imports.mapping import Fields, FieldSpec
from casework.registry.imports.rows import Problem, Refusals, Written
from casework.registry.imports.values import as_text, blank, parse_phone
from casework.schemas_common import Name, OptionalName, OptionalPhone

TARGET = "people"

FIELDS = Fields(
    specs=(
        FieldSpec("full_name", "Họ và tên", "Full name", ("Họ tên", "Tên", "Họ và tên cán bộ"),
                  required=True),
        FieldSpec("username", "Tên đăng nhập", "Username",
                  ("Tài khoản", "Tên tài khoản", "Username"), required=True),
        FieldSpec("role", "Vai trò", "Role", ("Chức năng", "Quyền", "Vai trò trong hệ thống"),
                  required=True),
        FieldSpec("agency", "Cơ quan", "Agency",
                  ("Đơn vị", "Cơ quan, đơn vị", "Đơn vị công tác", "Nơi công tác")),
        FieldSpec("village", "Thôn/bản", "Village",
                  ("Thôn", "Bản", "Xóm", "Tổ dân phố", "Thôn/tổ dân phố")),
        FieldSpec("phone", "Điện thoại", "Phone",
                  ("Số điện thoại", "SĐT", "Điện thoại di động", "Số di động")),
        FieldSpec("email", "Thư điện tử", "E-mail", ("Email", "E-mail", "Địa chỉ email")),
    ),
    ignored=frozenset({"stt", "so tt", "ghi chu", "tt", "chuc vu"}),
)  # fmt: skip

# Roles as people write them: the app's own words, in Vietnamese or English, and the
# titles a commune's list uses for them.
_ROLE_WORDS: dict[str, Role] = {
    "can bo bao ve tre em": Role.caseworker,
    "cong chuc van hoa xa hoi": Role.caseworker,
    "dau moi": Role.agency_officer,
    "can bo": Role.agency_officer,
    "lanh dao": Role.agency_head,
    "truong co quan": Role.agency_head,
    "chu tich ubnd xa": Role.supervisor,
    "pho chu tich ubnd xa": Role.supervisor,
    "lanh dao ubnd xa": Role.supervisor,
    "ctv": Role.collaborator,
    "quan tri": Role.admin,
}


def _role_words() -> dict[str, Role]:
    words = dict(_ROLE_WORDS)
    for role in COMMUNE_ROLES:
        for lang in ("vi", "en"):
            words[text.fold(label(role, lang))] = role
        words[role.value.replace("_", " ")] = role
    return words


ROLE_WORDS = _role_words()


def parse_role(value: Any) -> Any:
    if blank(value):
        return ""
    typed = " ".join(text.fold(str(value)).replace("_", " ").split())
    if typed in ROLE_WORDS:
        return ROLE_WORDS[typed]
    raise PydanticCustomError("import_role", "not a role", {"value": str(value)[:40]})


class PersonRow(BaseModel):
    """One row of the list, read with the administrator form's own field types."""

    model_config = ConfigDict(extra="ignore")

    full_name: Annotated[Name, BeforeValidator(as_text)]
    username: Annotated[Username, BeforeValidator(as_text)]
    role: Annotated[Role, BeforeValidator(parse_role)]
    agency: Annotated[OptionalName, BeforeValidator(as_text)] = None
    village: Annotated[OptionalName, BeforeValidator(as_text)] = None
    phone: Annotated[OptionalPhone, BeforeValidator(parse_phone)] = None
    email: Annotated[OptionalEmail, BeforeValidator(as_text)] = None


@dataclass(frozen=True)
class Prepared:
    """What validation needs of the commune: its agencies and villages, by folded name."""

    agencies: dict[str, int]  # folded name -> id (active agencies of the commune)
    office: int | None  # the culture and social office, a caseworker's by default
    boards: dict[str, int | InvalidInput]  # folded village name typed -> its board, or why not


def prepare(session: Session, rows: Sequence[dict[str, Any]], *, commune_id: int) -> Prepared:
    agencies = names.active_agencies(session, commune_id=commune_id)
    by_name = names.agency_names(agencies)
    office = next((a.id for a in agencies if a.kind == AgencyKind.culture_social), None)
    board_of = {a.village_id: a.id for a in agencies if a.village_id is not None}
    boards: dict[str, int | InvalidInput] = {}
    for raw in rows:
        typed = as_text(raw.get("village"))
        if not isinstance(typed, str) or not typed.strip() or text.fold(typed) in boards:
            continue
        try:
            village = resolve_village(session, commune_id=commune_id, name=typed, loc=("village",))
        except InvalidInput as refused:
            boards[text.fold(typed)] = refused
            continue
        board = board_of.get(village.id) if village is not None else None
        boards[text.fold(typed)] = board if board is not None else InvalidInput([])
    return Prepared(by_name, office, boards)


@dataclass(frozen=True)
class ValidPerson:
    row: int
    username: str
    full_name: str
    role: Role
    agency_id: int | None
    email: str | None
    phone: str | None
    existing_id: int | None = None  # the account made by an earlier import of this row

    def dumped(self) -> list[Any]:
        return [self.row, self.username, self.full_name, self.role.value, self.agency_id,
                self.email, self.phone]  # fmt: skip

    @classmethod
    def loaded(cls, values: list[Any]) -> ValidPerson:
        row, username, full_name, role, agency_id, email, phone = values
        return cls(row, username, full_name, Role(role), agency_id, email, phone)


@dataclass
class Checked(Refusals):
    valid: list[ValidPerson] = field(default_factory=list)
    planned: list[ValidPerson] = field(default_factory=list)


def validate(
    rows: Sequence[tuple[int, dict[str, Any]]],
    *,
    prepared: Prepared,
    today: date,
    progress: Callable[[int], None],
) -> Checked:
    """Every row checked against the form's rules and the commune's agencies and villages.
    Pure: no database."""
    checked = Checked()
    for row, raw in rows:
        before = len(checked.problems)
        data = checked.parse(PersonRow, row, raw)
        if data is None:
            continue
        agency_id: int | None = None
        if data.agency:
            found = names.find(data.agency, prepared.agencies)
            if isinstance(found, str):
                checked.refuse(row, "agency", found, {"value": data.agency})
            else:
                agency_id = found
        if data.village:
            board = prepared.boards.get(text.fold(data.village), InvalidInput([]))
            if isinstance(board, InvalidInput):
                for problem in board.errors() or [None]:
                    code = problem.code if problem else "import_village_no_board"
                    checked.refuse(row, "village", code, problem.params if problem else {})
            elif agency_id is not None and agency_id != board:
                checked.refuse(row, "village", "import_agency_and_village")
            else:
                agency_id = board
        if agency_id is None and data.role == Role.caseworker:
            agency_id = prepared.office
        if agency_id is None and data.role in AGENCY_ROLES and len(checked.problems) == before:
            checked.refuse(row, "agency", "agency_required")
        if data.email is None and data.phone is None:
            checked.refuse(row, "phone", "activation_address_required")
        if len(checked.problems) == before:
            checked.valid.append(ValidPerson(row, data.username, data.full_name, data.role,
                                             agency_id, data.email, data.phone))  # fmt: skip
    progress(len(rows))
    return checked


def match(session: Session, checked: Checked, *, commune_id: int) -> None:
    """Usernames are unique in the whole system and in the file: a taken one is refused,
    never a second account for it; unless it is this very person of the commune (the same
    name), made by an earlier import of the file: then the row is noted, not repeated."""
    typed = [person.username for person in checked.valid]
    taken = {
        user.username: user
        for user in session.exec(select(User).where(User.username.in_(typed))).all()
    }
    first: dict[str, int] = {}
    checked.planned = []
    for person in checked.valid:
        user = taken.get(person.username)
        if user is not None:
            if user.commune_id == commune_id and text.fold(user.full_name) == text.fold(
                person.full_name
            ):
                checked.planned.append(replace(person, existing_id=user.id))
                checked.problems.append(Problem(person.row, None, "import_person_existing",
                                                note=True))  # fmt: skip
                continue
            checked.refuse(person.row, "username", "username_taken", {"username": person.username})
        elif person.username in first:
            params = {"first": first[person.username]}
            checked.refuse(person.row, "username", "import_duplicate_username", params)
        else:
            first[person.username] = person.row
            checked.planned.append(person)


def write(
    session: Session,
    planned: Sequence[ValidPerson],
    *,
    commune_id: int,
    user_id: int,
    now: datetime,
    settings: Settings,
    **_: Any,
) -> Written:
    """The accounts, without passwords, each with its activation link queued."""
    commune = session.get_one(Commune, commune_id)
    users = [
        User(commune_id=commune.id, agency_id=p.agency_id, username=p.username,
             full_name=p.full_name, role=p.role, email=p.email, phone=p.phone, created_at=now)
        for p in planned
        if p.existing_id is None
    ]  # fmt: skip
    session.add_all(users)
    session.flush()
    for user in users:
        activation.issue(session, user=user, settings=settings, now=now, by=user_id)
    made = tuple(user.id for user in users if user.id is not None)
    return Written(created=len(users), linked=len(planned) - len(users), ids=made)


def dump(checked: Checked) -> dict[str, Any]:
    return {
        "valid": [person.dumped() for person in checked.valid],
        "problems": checked.dumped_problems(),
    }


def load(kept: dict[str, Any]) -> Checked:
    checked = Checked()
    checked.load_problems(kept["problems"])
    checked.valid = [ValidPerson.loaded(values) for values in kept["valid"]]
    return checked
