"""The ``casework`` command: migrate, seed the demo, serve. Each command is an entry point
and owns its transaction."""

from __future__ import annotations

import logging
from pathlib import Path

import typer

from casework.admin import cli as admin_cli
from casework.clock import SystemClock
from casework.communes import cli as commune_cli
from casework.config import Settings, get_settings

app = typer.Typer(
    help="Casework: child-protection case management for communes.", no_args_is_help=True
)


def _install_keys(settings: Settings) -> None:
    """Load the session and data keys (production: from the environment, or stop here)."""
    from casework import crypto
    from casework.keys import MissingKeys, load_keys

    try:
        crypto.install(load_keys(settings))
    except MissingKeys as exc:
        typer.echo(f"✗ {exc}", err=True)
        raise typer.Exit(code=2) from None


@app.command()
def migrate() -> None:
    """Bring the database (CASEWORK_DATABASE_URL) to the newest schema."""
    from casework.migrate import upgrade

    settings = get_settings()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    _install_keys(settings)  # a migration may encrypt existing narrative fields
    upgrade(url=settings.database_url)
    typer.echo("Database is up to date.")


@app.command("seed-demo")
def seed_demo() -> None:
    """Create the demo commune, its people, children and cases (once; safe to repeat)."""
    from casework.db import UnitOfWork, make_engine, make_sessionmaker
    from casework.demo.seed import DEMO_PASSWORD
    from casework.demo.seed import seed_demo as seed

    settings = get_settings()
    _install_keys(settings)
    engine = make_engine(settings)
    try:
        with UnitOfWork(make_sessionmaker(engine)) as uow:
            result = seed(uow.session, now=SystemClock().now(), tz=settings.tz, settings=settings)
            uow.commit()
    finally:
        engine.dispose()
    if result.created:
        typer.echo(
            f"Demo commune {result.commune_code} created: {result.children} children, "
            f"{result.cases} cases, {result.users} users. Demo password (demo only): "
            f"{DEMO_PASSWORD}"
        )
    else:
        typer.echo(f"Demo commune {result.commune_code} already present; nothing changed.")


@app.command()
def serve(
    host: str = typer.Option(None, help="Default: CASEWORK_HOST (127.0.0.1)"),
    port: int = typer.Option(None, help="Default: CASEWORK_PORT (8000)"),
    workers: int = typer.Option(None, help="Default: CASEWORK_WORKERS (1)"),
) -> None:
    """Serve the web application and the API (run `casework migrate` first)."""
    import uvicorn

    from casework.logs import uvicorn_log_config
    from casework.messaging.channels import describe

    settings = get_settings()
    _install_keys(settings)  # fail here, clearly, when production settings lack keys
    if settings.outbox_in_serve:
        for line in describe(settings):
            typer.echo(line)
    uvicorn.run(
        "casework.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers or settings.workers,
        log_level=settings.log_level,
        server_header=False,
        # Behind a proxy every client would otherwise share the proxy's address (and one
        # lockout); without one, the headers are a client's word and are ignored.
        proxy_headers=bool(settings.forwarded_allow_ips),
        forwarded_allow_ips=settings.forwarded_allow_ips or None,
        log_config=uvicorn_log_config(),
    )


@app.command()
def worker(
    timers: bool = typer.Option(True, help="Fire due deadline timers"),
    outbox: bool = typer.Option(True, help="Send queued e-mail and SMS, and the daily digest"),
) -> None:
    """Fire due deadline timers and send queued messages until stopped; run as many as you like."""
    import threading

    from casework import background
    from casework.clock import SystemClock
    from casework.db import make_engine, make_sessionmaker
    from casework.messaging.channels import describe
    from workflows import ticker

    settings = get_settings()
    logging.basicConfig(level=settings.log_level.upper(), format="%(asctime)s %(message)s")
    _install_keys(settings)
    engine = make_engine(settings)
    factory, clock = make_sessionmaker(engine), SystemClock()
    stopping = threading.Event()
    work = background.jobs(factory, settings, clock, timers=timers, outbox=outbox)
    ticks = work.ticks
    if work.relay is not None:
        work.relay.stopping = stopping  # SIGTERM: messages not yet started are released
    if timers:
        typer.echo(f"Worker firing timers every {settings.tick_seconds}s.")
    if outbox:
        typer.echo(f"Worker sending messages every {settings.outbox_tick_seconds}s.")
        for line in describe(settings):
            typer.echo(f"  {line}")
    if not ticks:
        raise typer.BadParameter("nothing to do: both --no-timers and --no-outbox")
    typer.echo("Ctrl+C stops it.")
    try:
        ticker.blocking_all(ticks, stopping=stopping)
    finally:
        engine.dispose()


workflow_app = typer.Typer(help="Workflow definitions: check and draw them.")
app.add_typer(workflow_app, name="workflow")


@workflow_app.command("check")
def workflow_check(path: Path = typer.Argument(..., exists=True, dir_okay=False)) -> None:
    """Validate a definition file: unknown or unreachable states, missing guards, ladders,
    a form of harm that would reach no agency, a routed task whose agency would see no facts,
    a fact name Casework does not know."""
    from casework.cases.workflow import AGENCY_FACTS_KNOWN, FACTS, GUARDS, ROUTED_SITUATIONS
    from workflows.check import check
    from workflows.definition import DefinitionError, load

    try:
        definition = load(path)
        # The routing and agency-facts rules bind a definition that routes reports to
        # agencies by harm; a process without routes (a register review, the Đề án 06
        # loop) has none to check.
        routes = bool(definition.tasks and definition.tasks.routes)
        problems = check(
            definition,
            guards=GUARDS,
            facts=FACTS,
            must_route=ROUTED_SITUATIONS if routes else (),
            **(AGENCY_FACTS_KNOWN if routes else {}),
        )
    except DefinitionError as exc:
        problems = [str(exc)]
    for problem in problems:
        typer.echo(f"✗ {problem}", err=True)
    if problems:
        raise typer.Exit(code=1)
    typer.echo(f"✓ {path}: no problems found")


@workflow_app.command("diagram")
def workflow_diagram(
    path: Path = typer.Argument(None, help="Default: the shipped child-protection workflow"),
) -> None:
    """Print the state diagram as Mermaid."""
    from workflows.check import mermaid
    from workflows.definition import DEFINITIONS_DIR, load

    typer.echo(mermaid(load(path or DEFINITIONS_DIR / "child_protection.yaml")))


admin_cli.register(app)
commune_cli.register(app)


if __name__ == "__main__":
    app()
