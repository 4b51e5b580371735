"""Capacity holds under real concurrency: many requests at a server with two worker processes."""

import os
import socket
import subprocess
import sys
import time
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

SEATS = 20
COMPANIES = 200
DUPLICATES = 10
PASSWORD = "correct horse battery"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


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
    port = _free_port()
    env = {**os.environ, "ROADSHOW_DATABASE_URL": database_url, "ROADSHOW_ENVIRONMENT": "test"}
    log = (tmp_path / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", "2"],
        env=env,
        stdout=log,
        stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail(f"server did not start; see {log.name}")
    yield url
    process.terminate()
    process.wait(timeout=20)
    log.close()


def test_two_hundred_concurrent_registrations_fill_twenty_seats_exactly(
    database_url: str, server: str
) -> None:
    engine = make_engine(database_url)
    with session_scope(engine) as db_session:
        stop_id = create_stop(db_session, capacity=SEATS, countries=("US", "DE")).id
        email = create_user(db_session, role="organiser", password=PASSWORD).email
    token = httpx.post(f"{server}/api/auth/token", data={"username": email, "password": PASSWORD}).json()
    headers = {"Authorization": f"Bearer {token['access_token']}"}

    def body(n: int) -> dict[str, object]:
        company = {
            "name": f"Concorrente {n} S.r.l.",
            "vat_number": vat_number(50_000 + n),
            "email": f"contatto{n}@concorrente.it",
            "province": "MI",
            "sector": "aerospace",
        }
        return {"company": company, "attendees": 1, "countries": ["US"]}

    # Every company once, and the first few twice: the copies race their originals.
    payloads = [body(n) for n in range(COMPANIES)] + [body(n) for n in range(DUPLICATES)]
    with httpx.Client(base_url=server, headers=headers, timeout=120) as client:

        def register(payload: dict[str, object]) -> httpx.Response:
            return client.post(f"/api/stops/{stop_id}/registrations", json=payload)

        with ThreadPoolExecutor(max_workers=64) as pool:
            responses = list(pool.map(register, payloads))
        listed = client.get(f"/api/stops/{stop_id}/registrations").json()

    codes = Counter(r.status_code for r in responses)
    assert codes == {201: COMPANIES, 409: DUPLICATES}, [r.text for r in responses if r.status_code >= 500][:3]
    created = [r.json() for r in responses if r.status_code == 201]
    assert Counter(c["status"] for c in created) == {"confirmed": SEATS, "waitlisted": COMPANIES - SEATS}
    positions = sorted(c["waitlist_position"] for c in created if c["status"] == "waitlisted")
    assert positions == list(range(1, COMPANIES - SEATS + 1))

    assert len(listed) == COMPANIES
    assert len({r["vat_number"] for r in listed}) == COMPANIES
    assert sum(r["status"] == "confirmed" for r in listed) == SEATS
    listed_positions = sorted(r["waitlist_position"] for r in listed if r["status"] == "waitlisted")
    assert listed_positions == list(range(1, COMPANIES - SEATS + 1))
    # Arrival order: a lower position was created no later than a higher one.
    by_position = sorted(
        (r for r in listed if r["status"] == "waitlisted"), key=lambda r: r["waitlist_position"]
    )
    assert [r["id"] for r in by_position] == sorted(r["id"] for r in by_position)

    with session_scope(engine) as db_session:
        rows = list(db_session.exec(select(Registration).where(Registration.stop_id == stop_id)))
    assert len(rows) == COMPANIES
    assert sum(r.status == "confirmed" for r in rows) == SEATS
    engine.dispose()
