"""The commands `make run` uses, run as a user runs them: a real process, a real database."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from tests.factories.owner import audit_log_unlocked

CASEWORK = str(Path(sys.executable).with_name("casework"))


def environment(url: str, **extra: str) -> dict[str, str]:
    """As on a fresh machine: no keys configured, so development ones are generated (into
    a file of this test run, not the developer's var/)."""
    secrets_file = Path(make_url(url).database or "x").with_suffix(".secrets.json")
    if make_url(url).get_backend_name() != "sqlite":
        secrets_file = Path(os.environ.get("TMPDIR", "/tmp")) / f"{make_url(url).database}.json"
    env = {
        **os.environ,
        "CASEWORK_DATABASE_URL": url,
        "CASEWORK_SECRETS_FILE": str(secrets_file),
        "CASEWORK_SMS_CONSOLE_FILE": str(secrets_file.with_suffix(".sms.log")),
    }
    for name in ("CASEWORK_SECRET_KEY", "CASEWORK_DATA_KEYS", "CASEWORK_ENV"):
        env.pop(name, None)
    return env | extra


def run(*args: str, url: str, stdin: str | None = None, expect: int = 0, **extra: str) -> str:
    result = subprocess.run(
        [CASEWORK, *args],
        env=environment(url, **extra),
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == expect, result.stderr
    return result.stdout if expect == 0 else result.stderr


def test_migrate_then_seed_demo_twice_changes_nothing_the_second_time(databases, backend):
    url = databases.url_for(backend, name="cli")
    assert "up to date" in run("migrate", url=url)
    first = run("seed-demo", url=url)
    assert first.startswith("Demo commune CHAUSON-DEMO created:")
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            counts = {
                table: conn.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar_one()
                for table in ("child", "protection_case", "report", "task", "app_user")
            }
        assert "already present; nothing changed" in run("seed-demo", url=url)
        assert "up to date" in run("migrate", url=url)
        with engine.connect() as conn:
            again = {
                table: conn.exec_driver_sql(f'SELECT count(*) FROM "{table}"').scalar_one()
                for table in counts
            }
    finally:
        engine.dispose()
    assert again == counts
    assert counts["child"] >= 30


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Served:
    """A `casework serve` process; ``output`` is what it printed, once it has stopped."""

    def __init__(self, process: subprocess.Popen[str]) -> None:
        self.process, self.output = process, ""


@contextmanager
def served(url: str, **extra: str) -> Iterator[tuple[str, Served]]:
    """Run `casework serve` on a free port until the block ends; yields its base URL."""
    import time

    import httpx2 as httpx

    port = _free_port()
    process = subprocess.Popen(
        [CASEWORK, "serve"],
        env=environment(url, CASEWORK_PORT=str(port), **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    server, base = Served(process), f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        yield base, server
    finally:
        process.terminate()
        server.output = process.communicate(timeout=10)[0]


def test_served_app_records_an_intake_and_shows_the_case(databases, backend):
    import time

    import httpx2 as httpx

    url = databases.url_for(backend, name="serve")
    run("migrate", url=url)
    run("seed-demo", url=url)
    made = run(
        "token",
        "create",
        "--user",
        "canbo.hoa",
        "--scope",
        "intake:write",
        "--scope",
        "cases:read",
        "--expires",
        "1d",
        "--name",
        "Tổng đài 111",
        url=url,
    )
    token = made.strip().splitlines()[-1]
    auth = {"Authorization": f"Bearer {token}"}
    with served(url, CASEWORK_QUIET_HOURS="") as (base, server):
        intake = {
            "commune_code": "CHAUSON-DEMO",
            "channel": "hotline_111",
            "first_received_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "reporter": {"anonymous": True},
            "child": {
                "full_name": "Hoàng Thị Thử",
                "birth_year_estimate": 2015,
                "sex": "female",
                "village": "thon na pan",
            },
            "description": "Trẻ bị đánh.",
            "harm_forms": ["violence"],
            "setting": "family",
            "perpetrator_relation": "parent",
            "immediate_danger": False,
        }
        assert httpx.post(f"{base}/api/v1/intakes", json=intake, timeout=10).status_code == 401
        created = httpx.post(f"{base}/api/v1/intakes", json=intake, headers=auth, timeout=10)
        assert created.status_code == 201, created.text
        code = created.json()["case_code"]
        case = httpx.get(f"{base}/api/v1/cases/{code}", headers=auth, timeout=10).json()
        assert case["is_emergency"] is True
        assert case["child"]["village"] == "Thôn Nà Pàn"
        assert "server" not in created.headers
        found = httpx.get(
            f"{base}/api/v1/children", params={"q": "Hoàng Thị Thử"}, headers=auth, timeout=10
        )
        assert found.status_code == 200, found.text
        # The relay in `serve` prints the emergency's SMS on the console (the default SMS
        # channel); with no SMTP server configured the e-mails wait in the outbox.
        for _ in range(150):
            read = httpx.get(f"{base}/api/v1/cases/{code}", headers=auth, timeout=10)
            messages = read.json()["messages"]
            if any(m["kind"] == "case.emergency" and m["state"] == "sent" for m in messages):
                break
            time.sleep(0.1)
        states = {(m["kind"], m["channel"], m["state"]) for m in messages}
        assert ("case.emergency", "sms", "sent") in states
        assert ("case.emergency", "email", "pending") in states
    output = server.output
    assert "Traceback" not in output, output
    assert "GET /api/v1/children?…" in output  # the access log keeps no search words
    for private in ("Thử", "Th%E1%BB%AD", token):
        assert private not in output
    assert "E-mail: OFF - no SMTP server configured (set CASEWORK_SMTP_HOST)" in output
    assert f"KHAN: ho so {code} la truong hop khan cap" in output
    # The demo's texts, queued before the start, are one line, not hundreds.
    held = re.search(r"SMS: (\d+) queued before this start written to \S+\.sms\.log", output)
    assert held is not None, output
    assert output.count("SMS -> ") < 20 < int(held[1])


def failed_login_from(base: str, forwarded_for: str) -> None:
    import re

    import httpx2 as httpx

    with httpx.Client(base_url=base, timeout=10) as browser:
        form = browser.get("/dang-nhap").text
        token = re.search(r'<meta name="csrf-token" content="([^"]+)">', form)
        assert token is not None
        answer = browser.post(
            "/dang-nhap",
            data={"username": "khong.co.ai", "password": "sai-mat-khau-roi"},
            headers={"X-CSRF-Token": token.group(1), "X-Forwarded-For": forwarded_for},
        )
        assert answer.status_code == 422, answer.text


def throttled_addresses(url: str) -> set[str]:
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            keys = conn.exec_driver_sql("SELECT key FROM login_throttle").scalars()
            return {key for key in keys if key.startswith("ip:")}
    finally:
        engine.dispose()


def test_forwarded_addresses_count_only_from_a_configured_proxy(databases, backend):
    """Behind a reverse proxy every client would share the proxy's address and its lockout;
    without one, X-Forwarded-For is the client's own claim and must not move the count."""
    url = databases.url_for(backend, name="proxy")
    run("migrate", url=url)
    with served(url, CASEWORK_OUTBOX_IN_SERVE="false") as (base, _):
        failed_login_from(base, "203.0.113.7")
    assert throttled_addresses(url) == {"ip:127.0.0.1"}

    with served(
        url, CASEWORK_FORWARDED_ALLOW_IPS="127.0.0.1", CASEWORK_OUTBOX_IN_SERVE="false"
    ) as (
        base,
        _,
    ):
        failed_login_from(base, "203.0.113.7")
    assert throttled_addresses(url) == {"ip:127.0.0.1", "ip:203.0.113.7"}


def test_admin_commands_manage_accounts_and_audit_verify_catches_an_edit(databases, backend):
    url = databases.url_for(backend, name="admin")
    run("migrate", url=url)
    run("seed-demo", url=url)
    made = run(
        "user",
        "create",
        "--username",
        "canbo.moi",
        "--name",
        "Cán bộ Mới",
        "--role",
        "caseworker",
        "--commune",
        "CHAUSON-DEMO",
        "--password-stdin",
        url=url,
        stdin="mot-mat-khau-rat-dai\n",
    )
    assert "Created canbo.moi" in made
    weak = run(
        "user", "reset-password", "canbo.moi", "--password-stdin", url=url, stdin="123\n", expect=1
    )
    assert "ít nhất 10 ký tự" in weak
    run(
        "user",
        "reset-password",
        "canbo.moi",
        "--password-stdin",
        url=url,
        stdin="mat-khau-moi-cung-dai\n",
    )
    token = run("token", "create", "--user", "canbo.moi", "--scope", "intake:write", url=url)
    assert "Shown once" in token
    assert "1 token(s) revoked" in run("user", "disable", "canbo.moi", url=url)
    assert "revoked" in run("token", "list", url=url)
    assert "chain intact" in run("audit", "verify", url=url)
    engine = sa.create_engine(url)
    try:
        with engine.begin() as conn, audit_log_unlocked(conn):  # only a database owner can
            conn.exec_driver_sql("UPDATE audit_entry SET username = 'someone-else' WHERE seq = 2")
    finally:
        engine.dispose()
    problems = run("audit", "verify", url=url, expect=1)
    assert "entry 2 was altered after it was written" in problems


def test_production_settings_without_keys_stop_with_a_clear_message(databases):
    url = databases.url_for("sqlite", name="prod")
    message = run("serve", url=url, expect=2, CASEWORK_ENV="production")
    assert "CASEWORK_SECRET_KEY and CASEWORK_DATA_KEYS" in message
    assert "Traceback" not in message


def test_commune_commands_set_up_a_commune_from_the_official_list(databases, backend):
    url = databases.url_for(backend, name="communes")
    run("migrate", url=url)
    assert "20  Lạng Sơn" in run("commune", "official", url=url)
    assert "06040  Xã Thất Khê" in run("commune", "official", "--province", "20", url=url)
    added = run("commune", "add", "06040", url=url)
    assert "✓ Xã Thất Khê, Lạng Sơn (mã 06040, hồ sơ TK-…)" in added
    again = run("commune", "add", "6040", url=url, expect=1)
    assert "Xã Thất Khê (mã 06040) đã có trong hệ thống" in again
    assert "Mã 12345 không có trong danh mục" in run("commune", "add", "12345", url=url, expect=1)
    assert "chain intact" in run("audit", "verify", url=url)
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            agencies = conn.exec_driver_sql(
                "SELECT count(*) FROM agency JOIN commune ON commune.id = agency.commune_id "
                "WHERE commune.code = '06040'"
            ).scalar_one()
            audited = conn.exec_driver_sql(
                "SELECT count(*) FROM audit_entry WHERE subject_type = 'commune'"
            ).scalar_one()
    finally:
        engine.dispose()
    assert agencies == 12
    assert audited == 1


def test_init_sets_up_a_real_commune_and_its_administrator_without_a_password(databases, backend):
    url = databases.url_for(backend, name="init")
    admin = ("--admin-username", "quantri.tk", "--admin-name", "Lý Văn Sơn")
    done = run("init", "--commune", "06040", *admin, "--admin-email", "qt@thatkhe.example",
               url=url)  # fmt: skip
    assert "✓ Xã Thất Khê, Lạng Sơn: quản trị viên quantri.tk sẽ nhận đường dẫn kích hoạt" in done
    again = run("init", "--commune", "06040", *admin, "--admin-phone", "0912345678", url=url,
                expect=1)  # fmt: skip
    assert "quantri.tk" in again
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            users = conn.exec_driver_sql(
                "SELECT username, role, password_hash FROM app_user"
            ).all()  # fmt: skip
            sent = conn.exec_driver_sql("SELECT kind, channel FROM outbox_message").all()
            children = conn.exec_driver_sql("SELECT count(*) FROM child").scalar_one()
    finally:
        engine.dispose()
    assert [tuple(u) for u in users] == [("quantri.tk", "admin", None)]
    assert [tuple(m) for m in sent] == [("account.activate", "email")]
    assert children == 0  # no demo data


def test_init_with_a_province_makes_its_administrator_of_no_commune(databases, backend):
    url = databases.url_for(backend, name="init_province")
    admin = ("--admin-username", "quantri.ls", "--admin-name", "Hoàng Thị Lan")
    done = run("init", "--province", "20", *admin, "--admin-phone", "0912345678", url=url)
    assert "✓ Tỉnh Lạng Sơn: quản trị viên quantri.ls sẽ nhận đường dẫn kích hoạt" in done
    both = run("init", "--province", "20", "--commune", "06040", *admin, "--admin-phone",
               "0912345678", url=url, expect=1)  # fmt: skip
    assert "không ghi cả hai" in both
    unknown = run("init", "--province", "99", *("--admin-username", "x.y.z", "--admin-name",
                  "A B"), "--admin-phone", "0912345678", url=url, expect=1)  # fmt: skip
    assert "99" in unknown
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            users = conn.exec_driver_sql(
                "SELECT username, role, commune_id, province_code FROM app_user"
            ).all()  # fmt: skip
            sent = conn.exec_driver_sql("SELECT kind, channel FROM outbox_message").all()
            communes = conn.exec_driver_sql("SELECT count(*) FROM commune").scalar_one()
    finally:
        engine.dispose()
    assert [tuple(u) for u in users] == [("quantri.ls", "province_admin", None, "20")]
    assert [tuple(m) for m in sent] == [("account.activate", "sms")]
    assert communes == 0  # the administrator adds them at /tinh
