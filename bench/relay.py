"""The outbox relay against a local SMTP server (aiosmtpd), compared with a bare aiosmtplib
loop in the same run, and the time from enqueue to sent when the relay is idle.

throughput  ``--messages`` e-mails queued as outbox rows, then drained by the real relay
            (claim with a lease, render from the templates, send, record each answer),
            with one SMTP connection and with the default two. Baseline: one aiosmtplib
            connection sending as many messages, built the same way (same headers, same
            parts, same MIME classes), one after another, no database. ``--rounds``
            alternate the three (the machine is shared and drifts); medians are shown.
            The SMTP server is aiosmtpd in a process of its own; ``--server-ms`` makes it
            take that long per message, as a real mail server writing its queue does.
latency     the relay runs on the ticker as in `casework serve` (``--tick``); one message is
            enqueued and committed at a time, ``--every`` seconds apart, for ``--seconds``;
            latency is from the enqueue's commit to the SMTP server's answer.

Both check that the server received every message exactly once.

    .venv/bin/python bench/relay.py [--backend sqlite|postgresql|both] [--messages 1000]
        [--rounds 5] [--batch 200] [--seconds 10] [--every 0.05] [--tick 0.5]
        [--server-ms 0] [--skip-latency]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from email.header import Header
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formatdate
from pathlib import Path
from typing import Any

import aiosmtplib

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.intake import database  # noqa: E402
from casework import crypto  # noqa: E402
from casework.clock import SystemClock  # noqa: E402
from casework.config import Settings  # noqa: E402
from casework.db import UnitOfWork, make_engine, make_sessionmaker  # noqa: E402
from casework.keys import load_keys  # noqa: E402
from casework.messaging import tasks as messaging_tasks  # noqa: E402
from casework.migrate import upgrade  # noqa: E402
from notifications.outbox import NewMessage, enqueue_many  # noqa: E402
from tests.servers import free_port  # noqa: E402
from workflows import ticker  # noqa: E402

CONTEXT = {
    "case_code": "CS-2026-00042",
    "is_emergency": False,
    "task_id": 1,
    "action": "Khám, sơ cứu cho trẻ",
    "due_at": "2026-03-02T21:00:00+07:00",
}


SERVER = """
import asyncio, sys, time
from aiosmtpd.controller import Controller

class Sink:
    def __init__(self, out):
        self.out = out

    async def handle_DATA(self, server, session, envelope):
        if DELAY:
            await asyncio.sleep(DELAY)  # a mail server writing its queue to disk
        for line in envelope.content.split(b"\\r\\n", 40):
            if line.lower().startswith(b"message-id:"):
                key = line.split(b":", 1)[1].strip().decode()
                self.out.write(f"{time.time():.6f} {key}\\n")
                self.out.flush()
                break
        return "250 2.0.0 Ok"

DELAY = float(sys.argv[3]) / 1000
with open(sys.argv[2], "a") as out:
    controller = Controller(Sink(out), hostname="127.0.0.1", port=int(sys.argv[1]))
    controller.start()
    print("ready", flush=True)
    sys.stdin.read()
    controller.stop()
"""


class SmtpProcess:
    """aiosmtpd in a process of its own (as a real mail server would be), writing each
    Message-ID it accepts, with the time, to a file."""

    def __init__(self, folder: Path, *, delay_ms: float = 0) -> None:
        self.port = free_port()
        self.log = folder / "received.txt"
        self.log.touch()
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(self.port), str(self.log), str(delay_ms)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        assert self.process.stdout.readline().strip() == "ready"

    def received(self) -> list[tuple[float, str]]:
        lines = self.log.read_text().splitlines()
        return [(float(t), key) for t, key in (line.split(" ", 1) for line in lines)]

    def stop(self) -> None:
        assert self.process.stdin is not None
        self.process.stdin.close()
        self.process.wait(timeout=10)


def messages(n: int, start: int = 0) -> list[NewMessage]:
    return [
        NewMessage(
            kind="task.new",
            recipient=f"user:{i}",
            subject_ref=f"case:CS-2026-{i % 100000:05d}",
            dedupe_key=f"bench:{i}",
            context=CONTEXT | {"case_code": f"CS-2026-{i % 100000:05d}"},  # each renders anew
            channel="email",
            address=f"officer{i}@example.org",
        )
        for i in range(start, start + n)
    ]


def bare_loop(port: int, n: int, rendered: Any, tag: str) -> float:
    """Messages per second for plain aiosmtplib: one connection, one message after another."""

    async def run() -> float:
        smtp = aiosmtplib.SMTP(hostname="127.0.0.1", port=port, start_tls=False)
        await smtp.connect()
        started = time.perf_counter()
        for i in range(n):
            # The same headers and parts as the relay's messages, built the same way.
            message = MIMEMultipart("alternative", boundary=f"=_casework_bare-{tag}-{i}")
            message.attach(MIMEText(rendered.text, "plain", "utf-8"))
            message.attach(MIMEText(rendered.html, "html", "utf-8"))
            message["From"] = "Casework <casework@localhost>"
            message["To"] = f"officer{i}@example.org"
            message["Subject"] = Header(rendered.subject, "utf-8")
            message["Date"] = formatdate(usegmt=True)
            message["Message-ID"] = f"<bare-{tag}-{i}@localhost>"
            message["X-Casework-Message"] = f"bare-{tag}-{i}"
            await smtp.send_message(message)
        elapsed = time.perf_counter() - started
        await smtp.quit()
        return n / elapsed

    return asyncio.run(run())


def throughput(url: str, args: argparse.Namespace, settings: Settings, server: SmtpProcess):
    """Alternate rounds of the bare loop and the relay (a shared machine drifts): per round
    messages/s of each and CPU milliseconds per message in this process, and the batches."""
    engine = make_engine(settings, url=url)
    factory = make_sessionmaker(engine)
    relays = {
        n: messaging_tasks.relay(
            factory,
            Settings(_env_file=None, **(settings.model_dump() | {"smtp_connections": n})),
            SystemClock(),
            worker=f"bench-{n}",
        )
        for n in (1, settings.smtp_connections)
    }
    rendered = messaging_tasks.renderer(settings).email(
        kind="task.new", language="vi", context=CONTEXT
    )
    results = []
    for round_ in range(args.rounds):
        cpu = time.process_time()
        bare = bare_loop(server.port, args.messages, rendered, tag=str(round_))
        row = [(bare, (time.process_time() - cpu) * 1000 / args.messages)]
        for _n, relay in relays.items():
            with UnitOfWork(factory) as uow:
                start = (round_ * len(relays) + len(row) - 1) * args.messages
                batch = messages(args.messages, start=start)
                enqueue_many(uow.session, batch, now=datetime.now(UTC) - timedelta(seconds=1))
                uow.commit()
            started, cpu = time.perf_counter(), time.process_time()
            while relay.run_once().claimed:
                pass
            ours = args.messages / (time.perf_counter() - started)
            row.append((ours, (time.process_time() - cpu) * 1000 / args.messages))
        results.append(row)
    with engine.connect() as conn:
        states = dict(
            conn.exec_driver_sql("SELECT state, count(*) FROM outbox_message GROUP BY state").all()
        )
    engine.dispose()
    total = args.messages * args.rounds * len(relays)
    relayed = Counter(key for _, key in server.received() if key.startswith("<casework-"))
    assert states == {"sent": total}, states
    assert len(relayed) == total, "lost"
    assert set(relayed.values()) == {1}, "doubled"
    return results


def latency(url: str, args: argparse.Namespace, settings: Settings, server: SmtpProcess):
    """Enqueue-to-accepted times in ms, one message at a time, the relay on its ticker."""
    engine = make_engine(settings, url=url)
    factory = make_sessionmaker(engine)
    relay = messaging_tasks.relay(factory, settings, SystemClock(), worker="bench-idle")
    background = ticker.Background([ticker.Tick(relay.tick, args.tick, "outbox")])
    relay.stopping = background.stopping
    enqueued: dict[int, float] = {}

    def relayed() -> int:
        return sum(1 for _, key in server.received() if key.startswith("<casework-"))

    before = relayed()
    start = 10_000_000
    deadline = time.perf_counter() + args.seconds
    try:
        while time.perf_counter() < deadline:
            n = start + len(enqueued)
            with UnitOfWork(factory) as uow:
                enqueue_many(uow.session, messages(1, start=n), now=datetime.now(UTC))
                uow.commit()
            enqueued[n] = time.time()
            time.sleep(args.every)
        settle = time.perf_counter() + args.tick * 4 + 5
        while time.perf_counter() < settle:
            if relayed() >= before + len(enqueued):
                break
            time.sleep(0.05)
    finally:
        background.shutdown()
    with engine.connect() as conn:
        ids = dict(conn.exec_driver_sql("SELECT id, recipient FROM outbox_message").all())
    keys = {int(to.split(":")[1]): f"<casework-{i}@localhost>" for i, to in ids.items()}
    arrived: dict[str, float] = {}
    count: Counter[str] = Counter()
    for at, key in server.received():
        arrived.setdefault(key, at)
        count[key] += 1
    lost = [i for i in enqueued if keys[i] not in arrived]
    if lost:
        with engine.connect() as conn:
            rows = conn.exec_driver_sql(
                "SELECT id, state, attempts, last_error, created_at, sent_at FROM outbox_message"
                f" WHERE recipient IN ({', '.join(repr(f'user:{i}') for i in lost)})"
            ).all()
        print("lost:", rows, [enqueued[i] for i in lost], time.time())
    assert not lost, f"{len(lost)} never arrived"
    assert all(count[keys[i]] == 1 for i in enqueued), "doubled"
    engine.dispose()
    return sorted((arrived[keys[i]] - enqueued[i]) * 1000 for i in enqueued)


def percentile(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--messages", type=int, default=1000, help="per throughput round")
    parser.add_argument("--rounds", type=int, default=5, help="throughput: alternating rounds")
    parser.add_argument("--batch", type=int, default=200, help="CASEWORK_OUTBOX_BATCH")
    parser.add_argument("--seconds", type=float, default=10, help="latency phase duration")
    parser.add_argument("--every", type=float, default=0.05, help="latency: enqueue interval")
    parser.add_argument("--tick", type=float, default=0.5, help="CASEWORK_OUTBOX_TICK_SECONDS")
    parser.add_argument(
        "--server-ms", type=float, default=0, help="the SMTP server's own time per message"
    )
    parser.add_argument("--skip-latency", action="store_true")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(asctime)s %(name)s %(message)s")
    backends = ["sqlite", "postgresql"] if args.backend == "both" else [args.backend]
    for backend in backends:
        with tempfile.TemporaryDirectory() as folder, database(backend) as url:
            server = SmtpProcess(Path(folder), delay_ms=args.server_ms)
            try:
                settings = Settings(
                    _env_file=None,
                    database_url=url,
                    secrets_file=Path(folder) / "secrets.json",  # throwaway development keys
                    smtp_host="127.0.0.1",
                    smtp_port=server.port,
                    smtp_security="none",
                    sms_provider="none",
                    quiet_hours="",
                    outbox_batch=args.batch,
                )
                crypto.install(load_keys(settings))
                upgrade(url=url)
                results = throughput(url, args, settings, server)
                names = ["bare aiosmtplib", "relay, 1 connection", "relay, 2 connections"]
                for n, row in enumerate(results, 1):
                    cells = " | ".join(
                        f"{name} {rate:4.0f}/s ({cpu:.2f} ms CPU)"
                        for name, (rate, cpu) in zip(names, row, strict=True)
                    )
                    print(f"{backend:10} round {n}: {cells}", flush=True)
                median = statistics.median
                for i, name in enumerate(names):
                    rate = median(r[i][0] for r in results)
                    cpu = median(r[i][1] for r in results)
                    ratio = median(r[i][0] / r[0][0] for r in results)
                    print(
                        f"{backend:10} median of {len(results)} rounds of {args.messages}:"
                        f" {name:22} {rate:5.0f} msg/s, {cpu:.2f} ms CPU/msg, ratio {ratio:.2f}",
                        flush=True,
                    )
                if args.skip_latency:
                    continue
                lat = latency(url, args, settings, server)
                print(
                    f"{backend:10} latency, {len(lat)} messages one every {args.every}s,"
                    f" tick {args.tick}s: p50 {statistics.median(lat):.0f} ms,"
                    f" p95 {percentile(lat, 95):.0f} ms, p99 {percentile(lat, 99):.0f} ms,"
                    f" max {lat[-1]:.0f} ms",
                    flush=True,
                )
            finally:
                server.stop()


if __name__ == "__main__":
    main()
