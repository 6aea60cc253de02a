"""The README's going-live section, walked as a province would on an empty installation
(no demo): `casework init --province` makes its administrator, who activates her account,
adds a commune from the official list, works in it and imports its villages, agencies'
contacts and people from spreadsheets; nobody is given a password; the police officer and
the caseworker activate their own accounts; the caseworker's first report becomes a task
the police officer sees on his list and is told about, without the child's name."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlmodel import select

from casework.accounts.models import User
from casework.agencies.models import Agency, AgencyKind
from casework.cases.models import ProtectionCase, Task
from casework.communes import setup
from casework.communes.models import Commune
from casework.db import UnitOfWork
from casework.messaging.words import enrich_for
from casework.registry.imports.tasks import run_one
from casework.web import csrf
from notifications.models import OutboxMessage
from tests.factories.intakes import intake_payload
from tests.factories.spreadsheets import xlsx

PASSWORD = "mat-khau-rieng-cua-toi-2026"
VILLAGES = [[1, "Thôn Nà Pàn"], [2, "Thôn Khuổi Hẩu"]]
CONTACTS = [[1, "Công an", "congan@thatkhe.example", "0205 3880 113"],
            [2, "Phòng Văn hóa - Xã hội", "vhxh@thatkhe.example", None]]  # fmt: skip
PEOPLE = [
    [1, "Hoàng Thị Hoa", "canbo.hoa", "Người làm công tác bảo vệ trẻ em", None, None,
     "hoa@thatkhe.example"],
    [2, "Vi Văn Hùng", "congan.hung", "Cán bộ đầu mối", "Công an", "0987 654 321",
     "hung@thatkhe.example"],
    [3, "Phạm Thị Lan", "pct.lan", "Lãnh đạo UBND xã", None, None, "lan@thatkhe.example"],
]  # fmt: skip


class Person:
    """One browser: its cookies are its session, the page gives its CSRF token."""

    def __init__(self, client) -> None:  # type: ignore[no-untyped-def]
        client.cookies.clear()
        self.client = client

    def token(self) -> str:
        page = self.client.get("/dang-nhap").text
        return re.search(r'name="csrf_token" value="([^"]+)"', page)[1]  # type: ignore[index]

    def post(self, path: str, data=None, files=None):  # type: ignore[no-untyped-def]
        token = self.token()
        answer = self.client.post(path, data={**(data or {}), "csrf_token": token}, files=files,
                                  headers={csrf.HEADER: token}, follow_redirects=False)  # fmt: skip
        assert answer.status_code in (201, 303), (path, answer.status_code, answer.text[:3000])
        return answer

    def activate(self, link: str) -> None:
        self.post(link, {"new_password": PASSWORD, "confirm_password": PASSWORD})


def link_for(session, username: str, settings) -> str:  # type: ignore[no-untyped-def]
    session.expire_all()
    user = session.exec(select(User).where(User.username == username)).one()
    sent = session.exec(
        select(OutboxMessage).where(
            OutboxMessage.kind == "account.activate", OutboxMessage.recipient == f"user:{user.id}"
        )
    ).first()
    assert sent is not None, username
    values = enrich_for(public_url="https://casework.example", tz=settings.tz)
    return values(sent.kind, sent.language, sent.context)["link"].removeprefix(
        "https://casework.example"
    )


def test_a_province_sets_up_a_commune_whose_first_report_reaches_its_police_officer(
    client, session, session_factory, clock, databases
):
    settings = databases.settings
    with UnitOfWork(session_factory) as uow:  # `casework init --province 20 …`
        setup.initialise(
            uow.session, code=None, province_code="20", case_prefix=None,
            username="quantri.ls", full_name="Hoàng Thị Lan", email="lan@langson.example",
            phone=None, settings=settings, now=clock.now(),
        )  # fmt: skip
        uow.commit()

    def work() -> None:
        while run_one(session_factory, clock=clock, settings=settings, worker="test",
                      lease=timedelta(minutes=5)):  # fmt: skip
            pass

    admin = Person(client)
    admin.activate(link_for(session, "quantri.ls", settings))
    assert "Các xã, phường của tỉnh Lạng Sơn" in client.get("/tinh").text
    admin.post("/tinh/xa", {"code": "06040"})
    session.expire_all()
    thất_khê = session.exec(select(Commune.id).where(Commune.code == "06040")).one()
    admin.post(f"/tinh/xa/{thất_khê}/lam-viec")
    for path, headings, rows in (
        ("/quan-tri/thon/nhap", ["STT", "Tên thôn"], VILLAGES),
        ("/quan-tri/co-quan/nhap", ["STT", "Cơ quan", "Email", "Điện thoại"], CONTACTS),
        ("/quan-tri/nguoi-dung/nhap",
         ["STT", "Họ và tên", "Tên đăng nhập", "Vai trò", "Cơ quan", "Số điện thoại", "Email"],
         PEOPLE),
    ):  # fmt: skip
        files = {"file": ("danh-sach.xlsx", xlsx(rows, headings=headings), "application/xlsx")}
        job = admin.post(path, files=files).headers["location"]
        work()
        admin.post(f"{job}/nhap", {"mode": "all_or_nothing"})
        work()
        assert "Đã nhập xong" in client.get(job).text, path
    session.expire_all()
    people = session.exec(select(User).where(User.commune_id == thất_khê)).all()
    assert {p.username for p in people} == {"canbo.hoa", "congan.hung", "pct.lan"}
    assert all(p.password_hash is None for p in people)  # nobody was given a password
    police = session.exec(
        select(Agency).where(Agency.commune_id == thất_khê, Agency.kind == AgencyKind.police)
    ).one()
    assert police.email == "congan@thatkhe.example"

    officer = Person(client)
    officer.activate(link_for(session, "congan.hung", settings))
    caseworker = Person(client)
    caseworker.activate(link_for(session, "canbo.hoa", settings))
    report = intake_payload(commune_code="06040", **{"child.village": "Nà Pàn",
                            "location": "Nhà riêng, Thôn Nà Pàn"})  # fmt: skip
    token = caseworker.token()
    answer = client.post("/api/v1/intakes", json=report, headers={csrf.HEADER: token})
    assert answer.status_code == 201, answer.text
    code = answer.json()["case_code"]
    session.expire_all()
    case = session.exec(select(ProtectionCase).where(ProtectionCase.code == code)).one()
    task = session.exec(
        select(Task).where(Task.case_id == case.id, Task.agency_id == police.id)
    ).first()
    assert task is not None  # routed to the commune's police

    officer = Person(client)
    officer.post("/dang-nhap", {"username": "congan.hung", "password": PASSWORD})
    assert code in client.get("/nhiem-vu").text
    hung = session.exec(select(User).where(User.username == "congan.hung")).one()
    told = session.exec(
        select(OutboxMessage).where(
            OutboxMessage.recipient == f"user:{hung.id}", OutboxMessage.kind != "account.activate"
        )
    ).all()
    assert told, "the police officer is told of his task"
    values = enrich_for(public_url="https://casework.example", tz=settings.tz)
    for message in told:
        text = str(values(message.kind, message.language, message.context))
        assert "Nguyễn Thị Hoa" not in text  # the child's name never leaves the system
