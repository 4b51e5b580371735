"""The ``roadshow`` command."""

import os
import sys
from typing import Annotated, Any

import typer

import app.models  # noqa: F401  (every table known before any query)
from app.config import get_settings
from app.i18n import set_language

cli = typer.Typer(
    help="Roadshow: Confindustria Lombardia's internationalisation roadshow.", no_args_is_help=True
)
db_cli = typer.Typer(help="Database schema.", no_args_is_help=True)
cli.add_typer(db_cli, name="db")
users_cli = typer.Typer(help="People who sign in with a password.", no_args_is_help=True)
cli.add_typer(users_cli, name="users")


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


@users_cli.command("create")
def users_create(
    email: Annotated[str, typer.Argument(help="The person's email address.")],
    role: Annotated[str, typer.Option(help="organiser or admin.")] = "organiser",
) -> None:
    """Create an organiser or admin; the password is read from standard input (one line)."""
    from app.accounts import service as accounts_service
    from app.accounts.models import Role
    from app.db import make_engine, session_scope
    from app.errors import AppError, InvalidInput

    if role not in (Role.ORGANISER, Role.ADMIN):
        typer.echo("role: choose organiser or admin", err=True)
        raise typer.Exit(2)
    password = sys.stdin.readline().rstrip("\r\n")
    engine = make_engine(get_settings().database_url)
    try:
        with session_scope(engine) as db_session:
            user = accounts_service.create(email, role=Role(role), password=password, db_session=db_session)
    except InvalidInput as exc:
        for field, message in exc.errors.items():
            typer.echo(f"{field}: {message}", err=True)
        raise typer.Exit(2) from exc
    except AppError as exc:
        typer.echo(exc.translated(), err=True)
        raise typer.Exit(1) from exc
    finally:
        engine.dispose()
    typer.echo(f"Created {user.role} {user.email}.")


@cli.command()
def serve(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(envvar="PORT", help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
) -> None:
    """Run the web app with uvicorn."""
    import uvicorn

    # Links in emails and feeds default to this port (see Settings.base_url); the app's
    # processes read it from the environment they inherit.
    os.environ["PORT"] = str(port)
    get_settings.cache_clear()
    options: dict[str, Any] = {
        "factory": True,
        "host": host,
        "port": port,
        "workers": workers,
        # uvicorn kills a worker that misses a 5 s ping: on a loaded machine a worker still
        # importing the app, or busy with requests, missed it and was killed over and over.
        "timeout_worker_healthcheck": 60,
        "proxy_headers": True,
        "access_log": False,
    }
    if workers == 1:
        uvicorn.run("app.main:create_app", **options)
        return
    from app import serving

    # Each worker listens on a socket of its own, so that connections are spread evenly.
    serving.run(uvicorn.Config("app.main:create_app", **options))


@cli.command()
def match(
    instance: Annotated[str, typer.Argument(help="A roadshow.match/1 instance (JSON file).")],
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.01, help="Seconds.")] = 10.0,
    output: Annotated[str | None, typer.Option("-o", "--output", help="Write here, not stdout.")] = None,
) -> None:
    """Solve a B2B meeting instance; the schedule JSON goes to stdout or OUT."""
    from app.matching.engine.command import run

    raise typer.Exit(run(instance, time_limit, output))


@cli.command()
def plan(
    instance: Annotated[str, typer.Argument(help="A roadshow.plan/1 instance (JSON file).")],
    time_limit: Annotated[float, typer.Option("--time-limit", min=0.01, help="Seconds.")] = 10.0,
    output: Annotated[str | None, typer.Option("-o", "--output", help="Write here, not stdout.")] = None,
) -> None:
    """Solve a roadshow calendar instance; the plan JSON goes to stdout or OUT."""
    from app.planning.engine.command import run

    raise typer.Exit(run(instance, time_limit, output))


@cli.command()
def worker(
    once: Annotated[bool, typer.Option("--once", help="Deliver what is due, run due jobs, exit.")] = False,
    poll_interval: Annotated[float, typer.Option(min=0.1, help="Seconds between rounds.")] = 5.0,
) -> None:
    """Deliver queued notifications (and run other areas' periodic jobs) until stopped."""
    import logging
    import signal
    import threading

    import app.main  # noqa: F401  (every area loaded, so that its periodic jobs are registered)
    from app.db import make_engine
    from app.jobs import service as jobs_service
    from app.notifications import worker as outbox_worker

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    settings = get_settings()
    engine = make_engine(settings.database_url)
    try:
        if once:
            handled = outbox_worker.run_once(engine=engine, settings=settings)
            ran = outbox_worker.run_due_jobs(engine=engine)
            solved = jobs_service.run_pending(sessions=jobs_service.engine_sessions(engine))
            typer.echo(f"Handled {handled} messages; ran {len(ran)} periodic jobs and {solved} queued runs.")
            return
        stop = threading.Event()
        signal.signal(signal.SIGTERM, lambda *_: stop.set())
        signal.signal(signal.SIGINT, lambda *_: stop.set())
        outbox_worker.run_forever(engine=engine, settings=settings, stop=stop, poll_interval=poll_interval)
    finally:
        engine.dispose()


def main() -> None:
    # Operators read the command line in English, like its help.
    set_language("en")
    cli(prog_name="roadshow")


if __name__ == "__main__":
    main()
