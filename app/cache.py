"""A short-lived cache of the public pages that anonymous visitors read.

When a stop is announced, thousands of companies open the calendar and the stop page at
once; each would otherwise run the same queries and render the same HTML. For a few seconds
(``ROADSHOW_PUBLIC_CACHE_SECONDS``, 0 to turn it off) each process keeps the last response of
each public page per language and query, and serves it again. Only anonymous GETs of the
listed paths with a 200 answer are kept; a signed-in visitor or an API client with a token
always gets a fresh page. The cache is per process and only ever a few seconds behind:
registrations themselves always count seats under a lock, never from here.
"""

import re
import time
from collections import OrderedDict

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.web import SESSION_COOKIE

CACHEABLE = re.compile(r"^/(|stops/\d+|api/stops|api/stops/\d+|stops/\d+/agenda\.ics)$")
MAX_ENTRIES = 512

Entry = tuple[float, int, list[tuple[bytes, bytes]], bytes]


class PublicPageCache:
    def __init__(self, app: ASGIApp, seconds: float = 2.0) -> None:
        self.app = app
        self.seconds = seconds
        self.entries: OrderedDict[tuple[str, bytes, str], Entry] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._cacheable(scope):
            await self.app(scope, receive, send)
            return
        language = scope.get("state", {}).get("language", "")
        key = (scope["path"], scope.get("query_string", b""), language)
        now = time.monotonic()
        entry = self.entries.get(key)
        if entry is not None and entry[0] > now:
            self.entries.move_to_end(key)
            _, status, headers, body = entry
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        captured: dict[str, object] = {"chunks": []}

        async def capture(message: Message) -> None:
            if message["type"] == "http.response.start":
                captured["status"] = message["status"]
                captured["headers"] = list(message.get("headers", []))
            elif message["type"] == "http.response.body":
                captured["chunks"].append(message.get("body", b""))  # type: ignore[attr-defined]
                if not message.get("more_body", False):
                    self._store(key, captured, now)
            await send(message)

        await self.app(scope, receive, capture)

    def _cacheable(self, scope: Scope) -> bool:
        if self.seconds <= 0 or scope["type"] != "http" or scope["method"] != "GET":
            return False
        if not CACHEABLE.match(scope["path"]):
            return False
        for name, value in scope["headers"]:
            if name == b"authorization" or (name == b"cookie" and SESSION_COOKIE.encode() + b"=" in value):
                return False
        return True

    def _store(self, key: tuple[str, bytes, str], captured: dict[str, object], now: float) -> None:
        headers = captured.get("headers")
        if captured.get("status") != 200 or not isinstance(headers, list):
            return
        if any(name == b"set-cookie" for name, _ in headers):
            return
        body = b"".join(captured["chunks"])  # type: ignore[arg-type]
        self.entries[key] = (now + self.seconds, 200, headers, body)
        self.entries.move_to_end(key)
        while len(self.entries) > MAX_ENTRIES:
            self.entries.popitem(last=False)
