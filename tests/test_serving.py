"""The supervisor's health check notices a worker that dies while a ping waits for its answer."""

import threading
import time

from uvicorn import Config

from app.serving import _OwnSocketProcess


class _Child:
    def __init__(self) -> None:
        self.alive = True

    def is_alive(self) -> bool:
        return self.alive


def _worker() -> tuple[_OwnSocketProcess, _Child]:
    worker = _OwnSocketProcess(Config("app.main:create_app"), sockets=[])
    child = _Child()
    worker.process = child  # type: ignore[assignment]  # never started: the pipe is all it needs
    return worker, child


def test_a_worker_killed_during_a_ping_is_seen_dead_at_once_not_after_the_timeout() -> None:
    worker, child = _worker()
    threading.Timer(0.3, lambda: setattr(child, "alive", False)).start()
    start = time.monotonic()
    assert worker.is_alive(timeout=60) is False
    assert time.monotonic() - start < 10, "the ping waited for the timeout of a dead worker"


def test_a_live_worker_answers_with_its_startup_flag() -> None:
    worker, _ = _worker()

    def pong() -> None:
        worker.child_conn.recv()
        worker.child_conn.send(True)

    threading.Thread(target=pong, daemon=True).start()
    assert worker.is_ready(timeout=10) is True


def test_a_live_worker_that_does_not_answer_in_time_fails_its_health_check() -> None:
    worker, _ = _worker()
    assert worker.is_alive(timeout=0.6) is False
