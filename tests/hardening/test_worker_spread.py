"""With several workers, a burst of keep-alive connections is spread over them: each worker
listens on a socket of its own (``app.serving``), so none holds most of the connections (and
their requests) for their whole life."""

import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import psutil

from tests.conftest import migrated_and_seeded
from tests.hardening.conftest import start_server
from tests.hardening.test_worker_kill import worker_pids

CONNECTIONS = 40
# Spread by a hash of each connection, a worker gets 20 of 40 give or take 3: fewer than 8
# would be a chance of about 1 in 10,000. A shared socket gave one worker 10 of 50.
AT_LEAST = 8


def test_a_burst_of_keep_alive_connections_is_spread_over_both_workers(
    sqlite_database: Callable[[], str], tmp_path: Path
) -> None:
    database_url = sqlite_database()
    migrated_and_seeded(database_url).dispose()
    process, url = start_server(database_url, tmp_path / "server.log", workers=2)
    clients = [httpx.Client(base_url=url, timeout=30) for _ in range(CONNECTIONS)]
    try:
        server = psutil.Process(process.pid)
        deadline = time.monotonic() + 30
        while len(workers := worker_pids(server)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(workers) == 2
        # All at once, as a load balancer or a browser opens them.
        with ThreadPoolExecutor(max_workers=CONNECTIONS) as pool:
            answers = list(pool.map(lambda client: client.get("/healthz"), clients))
        assert {answer.status_code for answer in answers} == {200}
        port = int(url.rsplit(":", 1)[1])
        held = {
            pid: sum(
                1
                for connection in psutil.Process(pid).net_connections(kind="tcp")
                if connection.status == psutil.CONN_ESTABLISHED and connection.laddr.port == port
            )
            for pid in workers
        }
        assert sum(held.values()) == CONNECTIONS, held
        assert min(held.values()) >= AT_LEAST, held
    finally:
        for client in clients:
            client.close()
        process.terminate()
        process.wait(timeout=30)
