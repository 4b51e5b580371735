"""A worker process killed with SIGKILL in the middle of concurrent registrations loses nothing
that was acknowledged and breaks no capacity rule: PostgreSQL rolls back the dead worker's open
transaction (and releases its row lock), the other worker serves on and uvicorn starts a new one."""

import os
import signal
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil
import pytest
from sqlmodel import select

from app.companies.models import Registration, RegistrationStatus
from app.db import session_scope
from tests.conftest import migrated_and_seeded
from tests.factories import create_stop, create_user, vat_number
from tests.hardening.conftest import PASSWORD, start_server

SEATS = 10
BEFORE_KILL = 60
AFTER_KILL = 90

pytestmark = pytest.mark.postgres


def worker_pids(server: psutil.Process) -> set[int]:
    """uvicorn's worker processes: the live children that run the app (not multiprocessing's
    helpers). A killed worker stays a zombie until uvicorn reaps it: it counts as gone."""
    pids = set()
    for child in server.children():
        try:
            if child.status() == psutil.STATUS_ZOMBIE or "resource_tracker" in " ".join(child.cmdline()):
                continue
        except (psutil.ZombieProcess, psutil.NoSuchProcess):
            continue
        pids.add(child.pid)
    return pids


def test_acknowledged_registrations_survive_a_worker_killed_mid_way(
    postgres_database: Callable[[], str], tmp_path: Path
) -> None:
    database_url = postgres_database()
    engine = migrated_and_seeded(database_url)
    with session_scope(engine) as db_session:
        stop_id = create_stop(db_session, capacity=SEATS).id
        email = create_user(db_session, role="organiser", password=PASSWORD).email
    process, url = start_server(database_url, tmp_path / "server.log", workers=2)
    try:
        server = psutil.Process(process.pid)
        deadline = time.monotonic() + 30
        while len(workers := worker_pids(server)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(workers) == 2, [c.cmdline() for c in server.children()]
        token = httpx.post(f"{url}/api/auth/token", data={"username": email, "password": PASSWORD}).json()
        headers = {"Authorization": f"Bearer {token['access_token']}"}

        def register(n: int) -> httpx.Response | None:
            body = {
                "company": {
                    "name": f"Resiliente {n} S.r.l.",
                    "vat_number": vat_number(70_000 + n),
                    "email": f"contatto{n}@resiliente.it",
                    "province": "MI",
                    "sector": "aerospace",
                },
                "attendees": 1,
                "countries": ["US"],
            }
            try:
                # A fresh connection each time, so that requests spread over both workers.
                return httpx.post(
                    f"{url}/api/stops/{stop_id}/registrations", json=body, headers=headers, timeout=60
                )
            except httpx.TransportError:
                return None  # in flight on the killed worker: never acknowledged

        with ThreadPoolExecutor(max_workers=24) as pool:
            first = [pool.submit(register, n) for n in range(BEFORE_KILL)]
            while sum(f.done() for f in first) < BEFORE_KILL // 3:
                time.sleep(0.01)
            victim = sorted(workers)[0]
            os.kill(victim, signal.SIGKILL)
            rest = [pool.submit(register, n) for n in range(BEFORE_KILL, BEFORE_KILL + AFTER_KILL)]
            answers = [f.result() for f in first + rest]
        deadline = time.monotonic() + 30
        while (
            victim in (workers := worker_pids(server)) or len(workers) < 2
        ) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert victim not in workers and len(workers) == 2, "uvicorn did not replace the killed worker"
    finally:
        process.terminate()
        process.wait(timeout=30)

    acknowledged = {r.json()["id"]: r.json() for r in answers if r is not None and r.status_code == 201}
    assert [r.status_code for r in answers if r is not None and r.status_code >= 500] == []
    # The other worker (and the one uvicorn starts in place of the dead) served most of them.
    after_kill = [r for r in answers[BEFORE_KILL:] if r is not None and r.status_code == 201]
    assert len(after_kill) >= AFTER_KILL // 2, f"only {len(after_kill)} of {AFTER_KILL} after the kill"

    with session_scope(engine, write=False) as db_session:
        rows = list(db_session.exec(select(Registration).where(Registration.stop_id == stop_id)))
    engine.dispose()
    stored = {row.id: row for row in rows}
    missing = [rid for rid in acknowledged if rid not in stored]
    assert missing == [], f"acknowledged with 201 but not in the database: {missing}"
    for rid, answer in acknowledged.items():
        assert stored[rid].status == answer["status"]
        assert stored[rid].waitlist_position == answer["waitlist_position"]
    holding = [r for r in rows if r.status in (RegistrationStatus.CONFIRMED, RegistrationStatus.PENDING)]
    assert len(holding) == SEATS
    positions = sorted(r.waitlist_position for r in rows if r.status == RegistrationStatus.WAITLISTED)
    assert positions == list(range(1, len(positions) + 1))
    assert len({r.company_id for r in rows}) == len(rows)
