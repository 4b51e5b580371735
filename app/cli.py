"""The ``roadshow`` command."""

from typing import Annotated

import typer

from app.config import get_settings

cli = typer.Typer(
    help="Roadshow: Confindustria Lombardia's internationalisation roadshow.", no_args_is_help=True
)
db_cli = typer.Typer(help="Database schema.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")


@db_cli.command("upgrade")
def db_upgrade(revision: Annotated[str, typer.Argument()] = "head") -> None:
    """Migrate the configured database to head (or to REVISION)."""
    from app.migrate import upgrade

    upgrade(get_settings().database_url, revision)
    typer.echo(f"Database at {revision}.")


@cli.command()
def seed() -> None:
    """Load seed_data/ (reference data, consular corps, demo roadshow); a second run changes nothing."""
    from app import seed as seed_module
    from app.db import make_engine, session_scope

    settings = get_settings()
    engine = make_engine(settings.database_url)
    with session_scope(engine) as db_session:
        added = seed_module.load(settings.seed_dir, db_session=db_session)
    engine.dispose()
    if added:
        typer.echo("Added " + ", ".join(f"{n} {table}" for table, n in sorted(added.items())) + ".")
    else:
        typer.echo("Seed data already loaded: nothing to add.")


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT", help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Run the web app with uvicorn."""
    import uvicorn

    uvicorn.run(
        "app.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        access_log=False,
    )


def main() -> None:
    cli(prog_name="roadshow")


if __name__ == "__main__":
    main()
