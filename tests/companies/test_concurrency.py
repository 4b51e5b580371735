"""Capacity holds under real concurrency: many requests at a server with two worker processes.

Each round registers 400 companies for 25 seats while 20 of them register a second time, half
at the same instant as the first (a double click). Every round must answer no 5xx, confirm
exactly the capacity, number the waiting list 1..N and refuse each repeat once with 409.
"""

import os
import random
import subprocess
import sys
import threading
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlmodel import select

from app.companies.models import Registration
from app.db import make_engine, session_scope
from tests.conftest import migrated_and_seeded
from tests.factories import create_stop, create_user, vat_number
from tests.live_server import free_port, wait_until_serving

SEATS = 25
COMPANIES = 400
REPEATS = 20
ROUNDS = 3
# Requests in flight at once. More only queue on the database lock, and on SQLite a writer
# that waits past its busy timeout (30 s on a loaded machine) fails.
THREADS = 8
PASSWORD = "correct horse battery"


@pytest.fixture(params=[pytest.param("postgresql", marks=pytest.mark.postgres), "sqlite"])
def database_url(
    request: pytest.FixtureRequest,
    postgres_database: Callable[[], str],
    sqlite_database: Callable[[], str],
) -> str:
    url = postgres_database() if request.param == "postgresql" else sqlite_database()
    migrated_and_seeded(url).dispose()
    return url


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[str]:
    """``roadshow serve --workers 2`` on the given database."""
    port = free_port()
    env = {**os.environ, "ROADSHOW_DATABASE_URL": database_url, "ROADSHOW_ENVIRONMENT": "test"}
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_serving(url, [process], Path(log.name))
    yield url
    process.terminate()
    process.wait(timeout=20)
    log.close()


def _company(n: int) -> dict[str, object]:
    company = {
        "name": f"Concorrente {n} S.r.l.",
        "vat_number": vat_number(50_000 + n),
        "email": f"contatto{n}@concorrente.it",
        "province": "MI",
        "sector": "aerospace",
    }
    return {"company": company, "attendees": 1, "countries": ["US"]}


def _one_round(client: httpx.Client, stop_id: int, first: int, log: Path) -> None:
    """COMPANIES registrations and REPEATS repeats of their VAT numbers, all at once.

    Half the repeats are fired at the same instant as their original, like a double click on
    "Iscriviti"; the other half are mixed in among the rest.
    """
    numbers = list(range(first, first + COMPANIES))
    random.shuffle(numbers)
    doubled, repeated = numbers[: REPEATS // 2], numbers[REPEATS // 2 : REPEATS]
    single = numbers[REPEATS // 2 :] + repeated
    random.shuffle(single)

    def post(n: int) -> httpx.Response:
        return client.post(f"/api/stops/{stop_id}/registrations", json=_company(n))

    def at_once(n: int, barrier: threading.Barrier) -> httpx.Response:
        barrier.wait(timeout=60)
        return post(n)

    every = len(single) // len(doubled)
    with ThreadPoolExecutor(max_workers=THREADS) as pool:
        futures = []
        for index, n in enumerate(single):
            futures.append(pool.submit(post, n))
            if index % every == 0 and doubled:
                barrier = threading.Barrier(2)
                twin = doubled.pop()
                futures += [pool.submit(at_once, twin, barrier), pool.submit(at_once, twin, barrier)]
        responses = [future.result() for future in futures]
    listed = client.get(f"/api/stops/{stop_id}/registrations").json()

    failures = [r.text for r in responses if r.status_code >= 500]
    assert not failures, (failures[:3], log.read_text()[-4000:])
    assert Counter(r.status_code for r in responses) == {201: COMPANIES, 409: REPEATS}
    created = [r.json() for r in responses if r.status_code == 201]
    assert Counter(c["status"] for c in created) == {"confirmed": SEATS, "waitlisted": COMPANIES - SEATS}
    positions = sorted(c["waitlist_position"] for c in created if c["status"] == "waitlisted")
    assert positions == list(range(1, COMPANIES - SEATS + 1))

    assert len(listed) == COMPANIES
    assert len({r["vat_number"] for r in listed}) == COMPANIES
    assert sum(r["status"] == "confirmed" for r in listed) == SEATS
    waiting = sorted((r for r in listed if r["status"] == "waitlisted"), key=lambda r: r["waitlist_position"])
    assert [r["waitlist_position"] for r in waiting] == list(range(1, COMPANIES - SEATS + 1))
    # Arrival order: a lower position was created no later than a higher one.
    assert [r["id"] for r in waiting] == sorted(r["id"] for r in waiting)


def test_concurrent_registrations_and_double_clicks_fill_the_seats_exactly_with_no_server_error(
    database_url: str, server: str, tmp_path: Path
) -> None:
    engine = make_engine(database_url)
    with session_scope(engine) as db_session:
        stop_ids = [create_stop(db_session, capacity=SEATS, countries=("US", "DE")).id for _ in range(ROUNDS)]
        email = create_user(db_session, role="organiser", password=PASSWORD).email
    token = httpx.post(f"{server}/api/auth/token", data={"username": email, "password": PASSWORD}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}
    with httpx.Client(base_url=server, headers=headers, timeout=120) as client:
        for round_number, stop_id in enumerate(stop_ids):
            _one_round(client, stop_id or 0, round_number * COMPANIES, tmp_path / "server.log")

    with session_scope(engine) as db_session:
        for stop_id in stop_ids:
            rows = list(db_session.exec(select(Registration).where(Registration.stop_id == stop_id)))
            assert len(rows) == COMPANIES
            assert sum(r.status == "confirmed" for r in rows) == SEATS
    engine.dispose()
