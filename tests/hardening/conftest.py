"""A real ``roadshow serve`` on a fresh SQLite database, shared by the tests of one module."""

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from app.db import session_scope
from tests.conftest import migrated_and_seeded
from tests.factories import create_stop, create_user
from tests.live_server import free_port, wait_until_serving

SECRET_KEY = "hardening-tests-secret-key-" + "k" * 16
PASSWORD = "correct horse battery"


@dataclass
class LiveApp:
    url: str
    database_url: str
    organiser_email: str
    stop_id: int
    log: Path

    def organiser_headers(self) -> dict[str, str]:
        answer = httpx.post(
            f"{self.url}/api/auth/token", data={"username": self.organiser_email, "password": PASSWORD}
        )
        assert answer.status_code == 200, answer.text
        return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def start_server(
    database_url: str, log_path: Path, *, workers: int = 1
) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    env = {
        **os.environ,
        "ROADSHOW_DATABASE_URL": database_url,
        "ROADSHOW_ENVIRONMENT": "test",
        "ROADSHOW_SECRET_KEY": SECRET_KEY,
        "ROADSHOW_BASE_URL": f"http://127.0.0.1:{port}",
        "ROADSHOW_SCHEDULER_TIME_LIMIT": "1",
        "ROADSHOW_PLANNER_TIME_LIMIT": "1",
    }
    log = log_path.open("w")
    command = [sys.executable, "-m", "app.cli", "serve", "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=log)
    url = f"http://127.0.0.1:{port}"
    wait_until_serving(url, [process], log_path)
    return process, url


@pytest.fixture(scope="module")
def live_app(
    sqlite_database: Callable[[], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveApp]:
    database_url = sqlite_database()
    engine = migrated_and_seeded(database_url)
    with session_scope(engine) as db_session:
        stop_id = create_stop(db_session, capacity=5).id or 0
        email = create_user(db_session, role="organiser", password=PASSWORD).email
    engine.dispose()
    log = tmp_path_factory.mktemp("live") / "server.log"
    process, url = start_server(database_url, log)
    yield LiveApp(url, database_url, email, stop_id, log)
    process.terminate()
    process.wait(timeout=20)
