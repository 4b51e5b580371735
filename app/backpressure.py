"""At most as many requests at once, per process, as the database pool has connections.

Sync routes and dependencies run on a pool of 40 threads, and a request holds its database
connection across several thread hops (session, user, route). With more requests in flight
than connections, new requests can take every thread while they wait for a connection,
and the requests that hold the connections then wait for a thread: nothing moves until the
pool times out and requests fail. Queueing the excess in the event loop, before it takes a
thread or a connection, keeps every request moving (found by 200 concurrent registrations).

Fewer is faster: a process has one core's worth of Python to give, and a request waits on
the database for only a fraction of its time, so a few requests at once keep that core busy;
more only take turns on the interpreter lock, each finishing later. Measured on PostgreSQL
with 2 processes and 50 connections (personal agenda, interleaved runs): 15 at once served
240 to 340 requests/s with p99 280 to 440 ms, 3 at once 330 to 405 with p99 205 to 265, and
registrations went from 28-33 to 34-37 a second. The default, 4, leaves room for a request
or two waiting on a lock (``ROADSHOW_REQUESTS_AT_ONCE``). A turn ends when the response's
last part is handed to the server, not when a slow client has downloaded it.
"""

import anyio
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# At most 15: below both pools, SQLite's default (5 + 10 overflow) and PostgreSQL's in app.db
# (20 + 10); ``Settings.requests_at_once`` holds it there.
DEFAULT_LIMIT = 4


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
        slots = self._slots
        await slots.acquire()
        held = True

        def release() -> None:
            nonlocal held
            if held:
                held = False
                slots.release()

        async def send_then_free(message: Message) -> None:
            # The response's last part is ready: its transaction has settled and its connection
            # is back in the pool, so a slow client's download no longer holds a turn.
            if message["type"] == "http.response.body" and not message.get("more_body", False):
                release()
            await send(message)

        try:
            await self.app(scope, receive, send_then_free)
        finally:
            release()
