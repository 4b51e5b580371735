"""At most as many requests at once, per process, as the database pool has connections.

Sync routes and dependencies run on a pool of 40 threads, and a request holds its database
connection across several thread hops (session, user, route). With more requests in flight
than connections, new requests can take every thread while they wait for a connection,
and the requests that hold the connections then wait for a thread: nothing moves until the
pool times out and requests fail. Queueing the excess in the event loop, before it takes a
thread or a connection, keeps every request moving (found by 200 concurrent registrations).
"""

import anyio
from starlette.types import ASGIApp, Receive, Scope, Send

# Below both pools: SQLite's default (5 + 10 overflow) and PostgreSQL's in app.db (20 + 10).
DEFAULT_LIMIT = 15


class ConcurrencyLimitMiddleware:
    def __init__(self, app: ASGIApp, limit: int = DEFAULT_LIMIT) -> None:
        self.app = app
        self.limit = limit
        self._slots: anyio.Semaphore | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"].startswith("/static"):
            await self.app(scope, receive, send)
            return
        if self._slots is None:
            self._slots = anyio.Semaphore(self.limit)
        async with self._slots:
            await self.app(scope, receive, send)
