"""What the tests that start a real `roadshow serve` share: a free port, and waiting until the
server answers its health check."""

import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_serving(
    url: str, processes: list[subprocess.Popen[bytes]], log: Path, seconds: float = 60
) -> None:
    """Return once ``url/healthz`` answers 200; otherwise kill ``processes`` and fail the test."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.2)
    for process in processes:
        process.kill()
    pytest.fail(f"server did not start; see {log}")
