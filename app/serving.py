"""``roadshow serve --workers N``: uvicorn's supervisor, each worker listening on a socket of its own.

uvicorn's workers accept from one shared socket, and asyncio takes every waiting connection at
each wake-up, so the first worker awake takes most of a burst of keep-alive connections and
keeps them for their lifetime: of 50, the two workers of a 2-core machine held 10 and 40, then
39 and 11, and the busier one's requests waited about four times as long (a personal agenda's
p99 went from 290 to 410 ms). With ``SO_REUSEPORT`` every worker listens on a socket of its
own, on the same address, and the kernel spreads new connections across them. The supervisor
keeps a socket bound to the address, never listening, so that no other program takes it
between restarts of a worker.
"""

import logging
import pickle
import socket
import time

from uvicorn import Config
from uvicorn.supervisors import multiprocess

logger = logging.getLogger("uvicorn.error")
# How often a ping waiting for a worker's answer looks whether the worker is still alive.
PING_STEP_SECONDS = 0.25


def _reusable(family: socket.AddressFamily) -> socket.socket:
    sock = socket.socket(family=family, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)
    return sock


class _OwnSocketProcess(multiprocess.Process):
    """A worker that listens on a socket of its own, bound beside the supervisor's."""

    def target(self, sockets: list[socket.socket] | None = None) -> None:  # pragma: no cover
        own = []
        for shared in sockets or []:
            sock = _reusable(shared.family)
            sock.bind(shared.getsockname())
            shared.close()  # this process's copy; the supervisor keeps the address
            own.append(sock)
        super().target(own)

    def _healthcheck(self, timeout: float) -> bool | None:
        """uvicorn's ping, given up as soon as the worker is dead. The supervisor keeps both ends
        of the pipe, so a worker killed while a ping waits for its answer never closes it: the
        ping waited the whole health-check timeout (60 s here) before the worker was replaced."""
        deadline = time.monotonic() + timeout
        try:
            self.parent_conn.send(b"ping")
            while not self.parent_conn.poll(min(PING_STEP_SECONDS, max(0.0, deadline - time.monotonic()))):
                if not self.process.is_alive() or time.monotonic() >= deadline:
                    return None
            started: bool = self.parent_conn.recv()
            return started
        except (OSError, EOFError, pickle.UnpicklingError):
            return None


def run(config: Config) -> None:
    """Serve ``config`` (an import string, ``config.workers`` > 1) until told to stop."""
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    sock = _reusable(family)
    sock.bind((config.host, config.port))
    sock.set_inheritable(True)
    logger.info("Uvicorn running on http://%s:%d with %d workers", config.host, config.port, config.workers)
    # uvicorn's supervisor makes each worker with this name; ours keeps everything else of it
    # (restarts, health checks, signals).
    multiprocess.Process = _OwnSocketProcess  # type: ignore[misc]
    multiprocess.Multiprocess(config, sockets=[sock]).run()
