from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from casework import text
from casework.communes.models import Commune, Village


def create_commune(
    session: Session,
    *,
    now: datetime,
    code: str = "TD-TEST",
    name: str = "Xã Thanh Định",
    prefix: str = "TD",
    villages: tuple[str, ...] = ("Thôn Đồng Tâm", "Thôn Bản Chắt", "Xóm Nà Pàn"),
) -> Commune:
    commune = Commune(
        code=code, name=name, province="Thái Nguyên", case_prefix=prefix, created_at=now
    )
    session.add(commune)
    session.flush()
    for village in villages:
        session.add(Village(commune_id=commune.id, name=village, name_key=text.fold(village)))
    session.flush()
    return commune
