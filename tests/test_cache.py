"""The few-second cache of public pages for anonymous visitors."""

import asyncio
from collections.abc import Callable, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session
from starlette.types import Message, Receive, Scope, Send

from app.cache import PublicPageCache
from app.stops.models import Stop
from tests.factories import create_stop, create_user, organiser_token, sign_in_as


@pytest.fixture
def cached_client(app: FastAPI, settings: object) -> Iterator[TestClient]:
    from app.config import Settings
    from app.main import create_app

    assert isinstance(settings, Settings)
    cached = create_app(settings.model_copy(update={"public_cache_seconds": 60}))
    cached.dependency_overrides.update(app.dependency_overrides)
    with TestClient(cached) as client:
        yield client


T = TypeVar("T")


def in_own_loop(scenario: Callable[[], Coroutine[Any, Any, T]]) -> T:
    """Run ``scenario`` in an event loop of its own thread: a browser test earlier in the session
    may leave this thread's loop running, where asyncio.run() refuses to start."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(lambda: asyncio.run(scenario())).result()


def _rename(db_session: Session, stop: Stop, title: str) -> None:
    stop.title_it = title
    db_session.add(stop)
    db_session.commit()


def test_anonymous_visitors_get_the_page_rendered_moments_ago(
    cached_client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, title_it="Prima versione")
    db_session.commit()
    assert "Prima versione" in cached_client.get(f"/stops/{stop.id}").text
    _rename(db_session, stop, "Seconda versione")
    assert "Prima versione" in cached_client.get(f"/stops/{stop.id}").text
    english = cached_client.get(f"/stops/{stop.id}", headers={"Accept-Language": "en"})
    assert "Test stop" in english.text  # each language has its own entry


def test_signed_in_people_and_api_tokens_always_get_fresh_answers(
    cached_client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, title_it="Prima versione")
    db_session.commit()
    cached_client.get(f"/stops/{stop.id}")
    cached_client.get(f"/api/stops/{stop.id}")
    _rename(db_session, stop, "Seconda versione")
    headers = organiser_token(cached_client, db_session)
    assert cached_client.get(f"/api/stops/{stop.id}", headers=headers).json()["title"] == "Seconda versione"
    sign_in_as(cached_client, create_user(db_session, role="organiser"))
    db_session.commit()
    assert "Seconda versione" in cached_client.get(f"/stops/{stop.id}").text


def test_errors_and_other_paths_are_never_kept(cached_client: TestClient, db_session: Session) -> None:
    assert cached_client.get("/api/stops", params={"sector": "nope"}).status_code == 422
    stop = create_stop(db_session)
    db_session.commit()
    assert cached_client.get(f"/stops/{stop.id}/register").status_code in (200, 303, 409)
    assert cached_client.get("/api/stops", params={"sector": "aerospace"}).status_code == 200


class _SlowPage:
    """An ASGI page that takes a while to render and counts its renders."""

    def __init__(self) -> None:
        self.renders = 0
        self.status = 200

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.renders += 1
        version = self.renders
        await asyncio.sleep(0.05)
        await send({"type": "http.response.start", "status": self.status, "headers": []})
        await send({"type": "http.response.body", "body": f"render {version}".encode()})


def _get(cache: PublicPageCache, path: str = "/") -> Coroutine[Any, Any, bytes]:
    async def request() -> bytes:
        scope = {"type": "http", "method": "GET", "path": path, "query_string": b"", "headers": []}
        body = b""

        async def send(message: Message) -> None:
            nonlocal body
            if message["type"] == "http.response.body":
                body += message.get("body", b"")

        async def receive() -> Message:
            return {"type": "http.request", "body": b""}

        await cache(scope, receive, send)
        return body

    return request()


def test_concurrent_misses_render_once_and_all_get_that_render() -> None:
    page = _SlowPage()
    cache = PublicPageCache(page, seconds=60)

    async def crowd() -> list[bytes]:
        return await asyncio.gather(*(_get(cache) for _ in range(20)))

    assert in_own_loop(crowd) == [b"render 1"] * 20
    assert page.renders == 1


def test_when_a_copy_expires_one_request_renders_and_the_others_get_the_old_copy() -> None:
    page = _SlowPage()
    cache = PublicPageCache(page, seconds=60)

    async def scenario() -> list[bytes]:
        await _get(cache)
        key = ("/", b"", "")
        _, status, headers, body = cache.entries[key]
        cache.entries[key] = (0.0, status, headers, body)  # expired
        answers = await asyncio.gather(*(_get(cache) for _ in range(20)))
        return [*answers, await _get(cache)]

    answers = in_own_loop(scenario)
    assert page.renders == 2
    assert sorted(answers[:20]) == [b"render 1"] * 19 + [b"render 2"]
    assert answers[20] == b"render 2"  # the new copy, once rendered


def test_a_page_that_stops_answering_200_is_not_served_from_its_old_copy() -> None:
    page = _SlowPage()
    cache = PublicPageCache(page, seconds=60)

    async def scenario() -> tuple[bytes, bytes]:
        await _get(cache)
        key = ("/", b"", "")
        _, status, headers, body = cache.entries[key]
        cache.entries[key] = (0.0, status, headers, body)
        page.status = 404
        gone = await _get(cache)
        page.status = 200
        return gone, await _get(cache)

    assert in_own_loop(scenario) == (b"render 2", b"render 3")
