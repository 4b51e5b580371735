"""At most ``requests_at_once`` requests are worked on at once per process; the rest wait."""

import asyncio

import httpx
import pytest
from pydantic import ValidationError
from starlette.types import Message, Receive, Scope, Send

from app.backpressure import ConcurrencyLimitMiddleware
from app.config import Settings
from tests.test_cache import in_own_loop


def test_requests_beyond_the_limit_wait_their_turn_and_all_are_answered() -> None:
    running = 0
    most = 0

    async def slow(scope: Scope, receive: Receive, send: Send) -> None:
        nonlocal running, most
        running += 1
        most = max(most, running)
        await asyncio.sleep(0.02)
        running -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def scenario() -> list[int]:
        transport = httpx.ASGITransport(app=ConcurrencyLimitMiddleware(slow, limit=3))
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            answers = await asyncio.gather(*(client.get(f"/page/{n}") for n in range(12)))
        return [answer.status_code for answer in answers]

    assert in_own_loop(scenario) == [200] * 12
    assert most == 3


def test_a_turn_ends_when_the_last_part_is_handed_over_not_when_the_client_has_it() -> None:
    started: list[str] = []

    async def page(scope: Scope, receive: Receive, send: Send) -> None:
        started.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})

    async def scenario() -> None:
        limited = ConcurrencyLimitMiddleware(page, limit=1)
        downloaded = asyncio.Event()

        async def slow_client(message: Message) -> None:
            if message["type"] == "http.response.body":
                await downloaded.wait()  # the first client takes its time over the body

        async def fast_client(message: Message) -> None:
            return None

        async def nothing() -> Message:
            return {"type": "http.request", "body": b"", "more_body": False}

        def scope(path: str) -> Scope:
            return {"type": "http", "path": path, "method": "GET", "headers": []}

        first = asyncio.create_task(limited(scope("/slow"), nothing, slow_client))
        await asyncio.sleep(0.01)
        # The second request gets its turn while the first's body is still on its way.
        await asyncio.wait_for(limited(scope("/next"), nothing, fast_client), timeout=1)
        downloaded.set()
        await first

    in_own_loop(scenario)
    assert started == ["/slow", "/next"]


def test_the_setting_stays_below_the_database_pools() -> None:
    assert Settings().requests_at_once == 4
    for wrong in (0, 16):
        with pytest.raises(ValidationError, match="requests_at_once"):
            Settings(requests_at_once=wrong)
