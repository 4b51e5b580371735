"""Shared fixtures: the same suite on SQLite and PostgreSQL, each test rolled back.

Each engine gets a fresh database migrated with the real Alembic migrations and seeded once
per session; every test then runs inside a transaction that is rolled back, and each request
of the test client opens its own session on that transaction through a savepoint: the app's
``get_session`` dependency is overridden, and everything else (the route settling the
transaction by its response) runs as in production.
Under CI=true, PostgreSQL and the browser must be there: a skip would hide a red run.
"""

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlalchemy.engine import Connection
from sqlmodel import Session

from app import clock
from app import seed as seed_module
from app.config import ROOT, Settings
from app.db import get_session, make_engine, session_scope
from app.main import create_app
from app.migrate import upgrade

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
POSTGRES_ADMIN_DSN = os.environ.get("ROADSHOW_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
ARTIFACTS = ROOT / "test-artifacts"


def skip_or_fail(reason: str) -> None:
    """Skip locally; under CI a missing service is a failure, never a silent skip."""
    if IN_CI:
        pytest.fail(f"required under CI=true: {reason}")
    pytest.skip(reason)


def postgres_reachable() -> bool:
    try:
        with psycopg.connect(POSTGRES_ADMIN_DSN, connect_timeout=3):
            return True
    except psycopg.OperationalError:
        return False


def create_postgres_database() -> tuple[str, Callable[[], None]]:
    name = f"roadshow_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://")

    def drop() -> None:
        with psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return f"{base}/{name}", drop


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[Callable[[], str]]:
    """A factory of fresh, empty PostgreSQL databases, all dropped at the end of the session."""
    drops: list[Callable[[], None]] = []

    def make() -> str:
        if not postgres_reachable():
            skip_or_fail(f"PostgreSQL not reachable at {POSTGRES_ADMIN_DSN}")
        url, drop = create_postgres_database()
        drops.append(drop)
        return url

    yield make
    for drop in drops:
        drop()


@pytest.fixture(scope="session")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> Callable[[], str]:
    def make() -> str:
        folder = tmp_path_factory.mktemp("sqlite")
        return f"sqlite:///{folder / 'roadshow.db'}"

    return make


def migrated_and_seeded(url: str) -> Engine:
    upgrade(url)
    engine = make_engine(url)
    with session_scope(engine) as db_session:
        seed_module.load(ROOT / "seed_data", db_session=db_session)
    return engine


@pytest.fixture(scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(
    request: pytest.FixtureRequest,
    sqlite_database: Callable[[], str],
    postgres_database: Callable[[], str],
) -> Iterator[Engine]:
    url = sqlite_database() if request.param == "sqlite" else postgres_database()
    engine = migrated_and_seeded(url)
    yield engine
    engine.dispose()


@pytest.fixture
def connection(engine: Engine) -> Iterator[object]:
    with engine.connect() as conn:
        outer = conn.begin()
        yield conn
        outer.rollback()


@pytest.fixture
def db_session(connection: object) -> Iterator[Session]:
    session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)  # type: ignore[arg-type]
    yield session
    session.close()


@pytest.fixture
def settings(engine: Engine) -> Settings:
    return Settings(
        database_url=engine.url.render_as_string(hide_password=False),
        environment="test",
        public_cache_seconds=0,
        # Factories flush without committing, so public pages are built fresh on each request;
        # tests/freshness keeps copies and commits what it writes, as every request does.
        public_copies=0,
        jobs_in_process=False,  # tests run queued jobs themselves (tests/jobs_helpers.py)
    )


@pytest.fixture
def app(settings: Settings, connection: object) -> FastAPI:
    application = create_app(settings)

    def session_on_test_transaction() -> Iterator[Session]:
        session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)  # type: ignore[arg-type]
        try:
            yield session
        finally:
            session.close()

    application.dependency_overrides[get_session] = session_on_test_transaction
    return application


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app, base_url="http://testserver") as test_client:
        yield test_client


@pytest.fixture(autouse=True)
def real_clock() -> Iterator[None]:
    yield
    clock.set_source(None)


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def statements(connection: Connection) -> Iterator[list[str]]:
    """The SQL statements sent on the test's connection, transaction control left out."""
    recorded: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        # The test's savepoints (and SQLite's BEGIN) are transaction control, not reads.
        if not statement.lstrip().upper().startswith(("SAVEPOINT", "RELEASE", "BEGIN", "ROLLBACK")):
            recorded.append(statement)

    event.listen(connection, "before_cursor_execute", record)
    yield recorded
    event.remove(connection, "before_cursor_execute", record)
