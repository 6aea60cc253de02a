"""Setting up a real commune: from the official list, with the agencies tasks route to.

A commune is added by its NSO code only (``official``): its name and province come from
the list, never typed. It gets the standard agencies of DOMAIN.md §1 (the culture and
social office that leads, the police, the health station, justice, the women's and youth
unions, the Red Cross, the economic office, the public service centre) and the upstream
bodies its cases are referred to (Tổng đài 111, the provincial Sở Y tế and social work
centre); villages with their heads' boards, schools and people come after. The CLI and,
later, the province administrator's pages call these functions: one service.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import Session, select

from casework import text
from casework.accounts import activation
from casework.accounts.models import Role, User
from casework.accounts.service import create_province_admin, create_user
from casework.agencies.models import Agency, AgencyKind
from casework.communes.models import Commune
from casework.communes.official import OfficialUnit, province, unit, units_of
from casework.config import Settings
from casework.errors import FieldError, InvalidInput
from casework.phones import InvalidPhone, to_e164

AK = AgencyKind
# (kind, name): the commune's own bodies; "{in_sentence}" is "xã Thất Khê".
COMMUNE_AGENCIES: tuple[tuple[AgencyKind, str], ...] = (
    (AK.culture_social, "Phòng Văn hóa - Xã hội {in_sentence}"),
    (AK.police, "Công an {in_sentence}"),
    (AK.health_station, "Trạm Y tế {in_sentence}"),
    (AK.justice, "Văn phòng HĐND và UBND {in_sentence} (Tư pháp - Hộ tịch)"),
    (AK.womens_union, "Hội Liên hiệp Phụ nữ {in_sentence}"),
    (AK.youth_union, "Đoàn Thanh niên {in_sentence}"),
    (AK.red_cross, "Hội Chữ thập đỏ {in_sentence}"),
    (AK.economic_office, "Phòng Kinh tế {in_sentence}"),
    (AK.public_service_center, "Trung tâm Dịch vụ công ích {in_sentence}"),
)
# The bodies outside the commune its cases go to: "{province}" is "tỉnh Lạng Sơn".
UPSTREAM_AGENCIES: tuple[tuple[AgencyKind, str], ...] = (
    (AK.hotline_111, "Tổng đài 111"),
    (AK.provincial_health_department, "Sở Y tế {province}"),
    (AK.provincial_social_work_center, "Trung tâm Công tác xã hội {province}"),
)
_PREFIX = re.compile(r"^[A-Z][A-Z0-9]{1,7}$")


def add_commune(
    session: Session, *, code: str, now: datetime, case_prefix: str | None = None
) -> Commune:
    """The commune of this NSO code, with its agencies. Flushes, never commits.

    Refused, naming the field: a code not on the official list, a commune already set up,
    a case-code prefix that is malformed or another commune's."""
    found = unit(code)
    if found is None:
        raise InvalidInput([FieldError(("code",), "official_unit_unknown", {"code": code})])
    existing = session.exec(select(Commune).where(Commune.code == found.code)).first()
    if existing is not None:
        params = {"code": found.code, "name": found.name}
        raise InvalidInput([FieldError(("code",), "commune_already_added", params)])
    prefix = _prefix(session, found, case_prefix)
    commune = Commune(
        code=found.code,
        name=found.name,
        province=found.province.name,
        case_prefix=prefix,
        created_at=now,
    )
    session.add(commune)
    session.flush()
    assert commune.id is not None
    session.add_all(standard_agencies(commune.id, found))
    session.flush()
    return commune


def add_province(session: Session, *, province_code: str, now: datetime) -> list[Commune]:
    """Every commune of the province not set up yet (a province's first day)."""
    if province(province_code) is None:
        params = {"code": province_code}
        raise InvalidInput([FieldError(("province",), "official_province_unknown", params)])
    have = set(session.exec(select(Commune.code)).all())
    return [
        add_commune(session, code=found.code, now=now)
        for found in units_of(province_code)
        if found.code not in have
    ]


def standard_agencies(commune_id: int, found: OfficialUnit) -> list[Agency]:
    words = {"in_sentence": found.in_sentence, "province": found.province.full_name}
    return [
        Agency(commune_id=commune_id, kind=kind, name=name.format(**words))
        for kind, name in (*COMMUNE_AGENCIES, *UPSTREAM_AGENCIES)
    ]


def _prefix(session: Session, found: OfficialUnit, chosen: str | None) -> str:
    """The chosen prefix, else the name's initials ("TK" for Thất Khê), else those with
    the code's last digits when another commune has them ("TK6040")."""
    taken = set(session.exec(select(Commune.case_prefix)).all())
    if chosen is not None:
        prefix = chosen.strip().upper()
        if not _PREFIX.match(prefix):
            raise InvalidInput([FieldError(("case_prefix",), "case_prefix_format", {})])
        if prefix in taken:
            params = {"prefix": prefix}
            raise InvalidInput([FieldError(("case_prefix",), "case_prefix_taken", params)])
        return prefix
    initials = "".join(word[0] for word in text.fold(found.own_name).split()).upper()
    initials = "".join(ch for ch in initials if ch.isalnum())[:4] or "X"
    for candidate in _candidates(initials, found.code):
        if candidate not in taken:
            return candidate
    raise AssertionError("a commune's code is unique, so is initials + code")


def _candidates(initials: str, code: str) -> Sequence[str]:
    first = initials if len(initials) >= 2 else f"{initials}X"
    return (first, f"{initials}{int(code)}"[:8], f"X{code}")


def initialise(
    session: Session,
    *,
    code: str | None,
    province_code: str | None,
    case_prefix: str | None,
    username: str,
    full_name: str,
    email: str | None,
    phone: str | None,
    settings: Settings,
    now: datetime,
) -> tuple[Commune | None, bool, User]:
    """A real installation's first step (``casework init``): with ``province_code``, the
    province's first administrator, who then adds its communes (``communes.province``);
    with ``code``, a single commune, unless it is there already, and its administrator.
    Either way without a password: the activation link is queued. The commune (if any),
    whether it was added now, and the administrator."""
    if (code is None) == (province_code is None):
        raise InvalidInput([FieldError(("province",), "init_province_or_commune", {})])
    try:
        e164 = to_e164(phone) if phone else None
    except InvalidPhone:
        raise InvalidInput([FieldError(("phone",), "phone_invalid")]) from None
    found: Commune | None = None
    added = False
    if province_code is not None:
        official = province(province_code)
        if official is None:
            params = {"code": province_code}
            raise InvalidInput([FieldError(("province",), "official_province_unknown", params)])
        user = create_province_admin(session, province_code=official.code, username=username,
                                     full_name=full_name, now=now, email=email,
                                     phone=e164)  # fmt: skip
    else:
        assert code is not None
        found = session.exec(select(Commune).where(Commune.code == code.strip().zfill(5))).first()
        added = found is None
        if found is None:
            found = add_commune(session, code=code, case_prefix=case_prefix, now=now)
        user = create_user(session, settings=settings, commune_code=found.code,
                           username=username, full_name=full_name, role=Role.admin,
                           password=None, now=now, email=email, phone=e164)  # fmt: skip
    activation.issue(session, user=user, settings=settings, now=now, by=None)
    return found, added, user
