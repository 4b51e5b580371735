"""A short-lived cache of the public pages that anonymous visitors read.

When a stop is announced, thousands of companies open the calendar and the stop page at
once; each would otherwise run the same queries and render the same HTML. For a few seconds
(``ROADSHOW_PUBLIC_CACHE_SECONDS``, 0 to turn it off) each process keeps the last response of
each public page per language and query, and serves it again. Only anonymous GETs of the
listed paths with a 200 answer are kept; a signed-in visitor or an API client with a token
always gets a fresh page. The cache is per process and only ever a few seconds behind:
registrations themselves always count seats under a lock, never from here.

One render per key at a time (single flight): when a copy expires, the first request renders
the page again while the others are served the previous copy; when there is no copy yet, the
others wait for the first one's and are served it. Without this, every connection missed the
cache at the same moment each time a copy expired and all rendered at once (a stampede).
"""

import asyncio
import contextlib
import re
import time
from collections import OrderedDict

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.web import SESSION_COOKIE

CACHEABLE = re.compile(r"^/(|stops/\d+|api/stops|api/stops/\d+|stops/\d+/agenda\.ics)$")
MAX_ENTRIES = 512
# A request waiting for another's first render gives up after this and renders itself.
WAIT_SECONDS = 10.0

Key = tuple[str, bytes, str]
Entry = tuple[float, int, list[tuple[bytes, bytes]], bytes]


class PublicPageCache:
    def __init__(self, app: ASGIApp, seconds: float = 2.0) -> None:
        self.app = app
        self.seconds = seconds
        self.entries: OrderedDict[Key, Entry] = OrderedDict()
        # Keys being rendered now, each with the event set when its render ends.
        self.rendering: dict[Key, asyncio.Event] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        language = scope.get("state", {}).get("language", "")
        key = (scope["path"], scope.get("query_string", b""), language)
        entry = self.entries.get(key)
        if entry is not None and (entry[0] > time.monotonic() or key in self.rendering):
            await self._replay(key, entry, send)
            return
        if entry is None and (pending := self.rendering.get(key)) is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(pending.wait(), WAIT_SECONDS)
            entry = self.entries.get(key)
            if entry is not None:
                await self._replay(key, entry, send)
                return
        await self._render(key, scope, receive, send)

    async def _replay(self, key: Key, entry: Entry, send: Send) -> None:
        self.entries.move_to_end(key)
        _, status, headers, body = entry
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _render(self, key: Key, scope: Scope, receive: Receive, send: Send) -> None:
        """Render through the app, keep the answer, and let waiting requests go when done."""
        leader = key not in self.rendering
        if leader:
            self.rendering[key] = asyncio.Event()
        captured: dict[str, object] = {"chunks": []}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                captured["chunks"].append(message.get("body", b""))  # type: ignore[attr-defined]
                if not message.get("more_body", False):
                    self._store(key, captured)
            await send(message)

        try:
            await self.app(scope, receive, capture)
        finally:
            if leader:
                self.rendering.pop(key).set()

    def _cacheable(self, scope: Scope) -> bool:
        if self.seconds <= 0 or scope["type"] != "http" or scope["method"] != "GET":
            return False
        if not CACHEABLE.match(scope["path"]):
            return False
        for name, value in scope["headers"]:
            if name == b"authorization" or (name == b"cookie" and SESSION_COOKIE.encode() + b"=" in value):
                return False
        return True

    def _store(self, key: Key, captured: dict[str, object]) -> None:
        headers = captured.get("headers")
        if captured.get("status") != 200 or not isinstance(headers, list):
            self.entries.pop(key, None)  # a page gone or failing is not served from an old copy
            return
        if any(name == b"set-cookie" for name, _ in headers):
            return
        body = b"".join(captured["chunks"])  # type: ignore[arg-type]
        # The copy lives from the end of its render, so a slow render is not born stale.
        self.entries[key] = (time.monotonic() + self.seconds, 200, headers, body)
        self.entries.move_to_end(key)
        while len(self.entries) > MAX_ENTRIES:
            self.entries.popitem(last=False)
