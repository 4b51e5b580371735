"""What the in-process benchmarks share: a throw-away database filled with the benchmark data set,
the app on it, and timing of requests sent through the ASGI app itself (no server, no network).

SQLite in a temporary directory by default; with ``postgres=True`` a uniquely named PostgreSQL
database on 127.0.0.1:5432 (user postgres, or ``ROADSHOW_TEST_POSTGRES``), dropped afterwards.
"""

import os
import statistics
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import col, select

from app.accounts.models import User
from app.accounts.service import Signer
from app.config import Settings
from app.db import make_engine, session_scope
from app.main import create_app
from app.migrate import upgrade
from app.seed import load as load_seed
from app.stops.models import Stop
from benchmarks.load_data import COMPANY_EMAIL, CONSUL_EMAIL, analyze, populate

ROOT = Path(__file__).resolve().parents[1]
ADMIN_DSN = os.environ.get("ROADSHOW_TEST_POSTGRES", "postgresql://postgres@127.0.0.1:5432/postgres")
SECRET = "in-process-benchmark-secret-" + "x" * 20


@contextmanager
def throwaway_database(*, postgres: bool = False) -> Iterator[str]:
    """The URL of an empty database that is gone when the block ends."""
    if not postgres:
        with tempfile.TemporaryDirectory(prefix="roadshow-bench-") as folder:
            yield f"sqlite:///{folder}/bench.db"
        return
    name = f"roadshow_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield ADMIN_DSN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    finally:
        with psycopg.connect(ADMIN_DSN, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare(database_url: str, **populate_options: bool) -> dict[str, int]:
    """Migrate, seed and fill the database with the benchmark data set; its facts (ids, counts)."""
    upgrade(database_url)
    engine = make_engine(database_url)
    try:
        with session_scope(engine) as db_session:
            load_seed(ROOT / "seed_data", db_session=db_session)
            facts = populate(db_session, **populate_options)
        analyze(engine)
        return facts
    finally:
        engine.dispose()


def known_facts(database_url: str) -> dict[str, int]:
    """The ids a benchmark needs (first stop, the company's and the consul's users), in a
    database filled earlier."""
    engine = make_engine(database_url)
    try:
        with session_scope(engine, write=False) as db_session:
            found = db_session.exec(select(Stop.id).where(Stop.slug == "bench-00")).first()
            if found is None:
                raise SystemExit(f"{database_url} holds no benchmark data set")
            users = db_session.exec(
                select(User).where(col(User.email).in_([COMPANY_EMAIL, CONSUL_EMAIL]))
            ).all()
            by_email = {user.email: user.id or 0 for user in users}
    finally:
        engine.dispose()
    return {
        "first_stop_id": found,
        "company_user_id": by_email[COMPANY_EMAIL],
        "consul_user_id": by_email[CONSUL_EMAIL],
    }


def session_cookie(database_url: str, user_id: int) -> str:
    """A signed session cookie of that user, as the benchmark app (``app_on``) accepts it."""
    engine = make_engine(database_url)
    try:
        with session_scope(engine, write=False) as db_session:
            user = db_session.get(User, user_id)
            assert user is not None
            return Signer(SECRET).session_cookie(user)
    finally:
        engine.dispose()


def app_on(database_url: str, *, cache_seconds: float = 0) -> FastAPI:
    settings = Settings(
        environment="production",
        database_url=database_url,
        secret_key=SECRET,
        base_url="http://testserver",
        public_cache_seconds=cache_seconds,
        jobs_in_process=False,
    )
    return create_app(settings)


def timed(client: TestClient, url: str, count: int) -> tuple[list[float], list[float]]:
    """Milliseconds of each of ``count`` sequential GETs (after one untimed warm-up): wall-clock
    times, and CPU times of the process (a steadier figure on a loaded machine). Redirects are not
    followed: one to the sign-in page would measure it instead."""
    first = client.get(url, follow_redirects=False)
    if first.status_code != 200:
        raise SystemExit(f"GET {url} answered {first.status_code}")
    wall, cpu = [], []
    for _ in range(count):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url, follow_redirects=False)
        wall.append((time.perf_counter() - start) * 1000)
        cpu.append((time.process_time() - start_cpu) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return wall, cpu


def percentile(times: list[float], share: float) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


HEADER = f"{'median':>8} {'p95':>8} {'p99':>8} {'cpu p50':>8}"


def summary(times: tuple[list[float], list[float]]) -> str:
    wall, cpu = times
    return (
        f"{statistics.median(wall):>8.1f} {percentile(wall, 0.95):>8.1f} {percentile(wall, 0.99):>8.1f}"
        f" {statistics.median(cpu):>8.1f}"
    )
