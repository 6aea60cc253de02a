"""``casework commune``: set up real communes from the official list of administrative
units (an operator's commands until the province administrator's pages exist; both call
``communes.setup``). Each command is one transaction, audited."""

from __future__ import annotations

import typer

from casework.admin.cli import cli_audit, cli_session
from casework.clock import SystemClock

commune_app = typer.Typer(
    help="Communes from the official list (since 1 July 2025): list, add one, add a province.",
    no_args_is_help=True,
)


@commune_app.command("official")
def official(
    province: str = typer.Option(None, help="Mã tỉnh (2 chữ số), e.g. 20; none: the provinces"),
) -> None:
    """The official list: the 34 provinces, or one province's communes and wards."""
    from casework.communes import official as listing

    if province is None:
        for found in listing.provinces():
            typer.echo(f"{found.code}  {found.name}")
        return
    if listing.province(province) is None:
        typer.echo(f"✗ Mã tỉnh {province} không có trong danh mục 34 tỉnh, thành phố", err=True)
        raise typer.Exit(code=1)
    for unit in listing.units_of(province):
        typer.echo(f"{unit.code}  {unit.name}")


@commune_app.command("add")
def add(
    code: str = typer.Argument(..., help="Mã xã, phường (5 chữ số), e.g. 06040"),
    prefix: str = typer.Option(None, help="Tiền tố mã hồ sơ, e.g. TK (default: initials)"),
) -> None:
    """Set up one commune from the official list, with its standard agencies."""
    from casework.communes import setup

    with cli_session() as session:
        commune = setup.add_commune(session, code=code, case_prefix=prefix, now=SystemClock().now())
        cli_audit(session, "commune_added", ("commune", str(commune.id)), "create",
                  code=commune.code)  # fmt: skip
    typer.echo(
        f"✓ {commune.name}, {commune.province} (mã {commune.code}, hồ sơ {commune.case_prefix}-…)"
    )


@commune_app.command("add-province")
def add_province(
    province: str = typer.Argument(..., help="Mã tỉnh (2 chữ số), e.g. 20"),
) -> None:
    """Set up every commune of a province not set up yet."""
    from casework.communes import setup

    with cli_session() as session:
        added = setup.add_province(session, province_code=province, now=SystemClock().now())
        for commune in added:
            cli_audit(session, "commune_added", ("commune", str(commune.id)), "create",
                      code=commune.code)  # fmt: skip
    typer.echo(f"✓ {len(added)} xã, phường đã được thêm.")


def init(
    province: str = typer.Option(
        None, help="Mã tỉnh (2 chữ số), e.g. 20: the province's first administrator"
    ),
    commune: str = typer.Option(
        None, help="Or: mã xã, phường (5 chữ số), e.g. 06040: one commune and its administrator"
    ),
    admin_username: str = typer.Option(..., help="Tên đăng nhập quản trị viên, e.g. quantri.ls"),
    admin_name: str = typer.Option(..., help="Họ và tên quản trị viên"),
    admin_email: str = typer.Option(None, help="Thư điện tử: the activation link goes there"),
    admin_phone: str = typer.Option(None, help="Số di động: the link goes there by SMS"),
    prefix: str = typer.Option(None, help="With --commune: tiền tố mã hồ sơ (default: initials)"),
) -> None:
    """A real installation, without the demo: the schema and its first administrator, who
    gets an activation link (nobody types their password). With --province, a province
    administrator, who adds the province's communes at /tinh; with --commune, that commune
    from the official list with its agencies, and its administrator. Run ``casework serve``
    or ``casework worker`` after it to send the link."""
    from casework.communes import setup
    from casework.config import get_settings
    from casework.migrate import upgrade

    settings = get_settings()
    if not admin_email and not admin_phone:
        raise typer.BadParameter("--admin-email or --admin-phone: the activation link goes there")
    upgrade(url=settings.database_url)
    with cli_session() as session:
        found, added, user = setup.initialise(
            session, code=commune, province_code=province, case_prefix=prefix,
            username=admin_username, full_name=admin_name, email=admin_email,
            phone=admin_phone, settings=settings, now=SystemClock().now(),
        )  # fmt: skip
        if found is not None and added:
            cli_audit(session, "commune_added", ("commune", str(found.id)), "create",
                      code=found.code)  # fmt: skip
        cli_audit(session, "user_created", ("user", str(user.id)), role=user.role)
    where = " và ".join(filter(None, [admin_email, admin_phone]))
    if found is not None:
        place = f"{found.name}, {found.province}"
    else:
        from casework.communes.official import province as official_province

        chosen = official_province(province)
        place = chosen.full_name[:1].upper() + chosen.full_name[1:] if chosen else province
    typer.echo(f"✓ {place}: quản trị viên {user.username} sẽ nhận đường dẫn kích hoạt qua "
               f"{where} khi casework serve hoặc worker chạy.")  # fmt: skip


def register(app: typer.Typer) -> None:
    app.add_typer(commune_app, name="commune")
    app.command("init")(init)
