import shutil
import subprocess
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app import clock
from app.accounts import limits
from app.accounts.limits import RateLimiter, RedisStore, Rule
from app.errors import TooManyRequests
from app.main import create_app
from tests.factories import create_user, csrf_token
from tests.live_server import free_port

# Inside a 15-minute window (09:00-09:15): counts start again at each window's end, and a test
# that crossed one on the real clock saw its fifth failure counted in a new window.
MID_WINDOW = datetime(2027, 3, 1, 9, 7, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def mid_window() -> None:
    clock.set_source(lambda: MID_WINDOW)  # conftest's real_clock puts the real one back


def _fail_token(client: TestClient, email: str, password: str = "wrong password!") -> int:
    return client.post("/api/auth/token", data={"username": email, "password": password}).status_code


def test_repeated_failed_logins_get_429_with_retry_after(client: TestClient, db_session: Session) -> None:
    create_user(db_session, email="target@example.org", password="correct horse battery")
    db_session.commit()
    assert [_fail_token(client, "target@example.org") for _ in range(5)] == [401] * 5
    blocked = client.post(
        "/api/auth/token", data={"username": "target@example.org", "password": "correct horse battery"}
    )
    assert blocked.status_code == 429
    assert 1 <= int(blocked.headers["Retry-After"]) <= 15 * 60
    assert "Troppi tentativi" in blocked.json()["detail"]


def test_the_window_passes_and_the_right_password_works_again(
    client: TestClient, db_session: Session
) -> None:
    create_user(db_session, email="patient@example.org", password="correct horse battery")
    db_session.commit()
    start = clock.now()
    clock.set_source(lambda: start)
    for _ in range(5):
        _fail_token(client, "patient@example.org")
    assert _fail_token(client, "patient@example.org", "correct horse battery") == 429
    clock.set_source(lambda: start + timedelta(minutes=16))
    assert _fail_token(client, "patient@example.org", "correct horse battery") == 200


def test_failed_logins_from_one_address_are_limited_across_emails(client: TestClient) -> None:
    statuses = [
        _fail_token(client, f"guess{n}@example.org") for n in range(limits.LOGIN_FAILURES_PER_ADDRESS.limit)
    ]
    assert set(statuses) == {401}
    assert _fail_token(client, "another@example.org") == 429


def test_the_login_page_shows_a_translated_429_page(client: TestClient) -> None:
    token = csrf_token(client)
    for _ in range(5):
        client.post(
            "/login", data={"email": "page@example.org", "password": "nope nope nope", "csrf_token": token}
        )
    response = client.post(
        "/login",
        data={"email": "page@example.org", "password": "nope nope nope", "csrf_token": token},
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 429 and response.headers["Retry-After"]
    assert "Too many attempts" in response.text and "<html" in response.text


def test_sign_in_link_requests_are_limited_per_email(client: TestClient, db_session: Session) -> None:
    create_user(db_session, role="company", email="flood@example.org")
    token = csrf_token(client)
    statuses = [
        client.post("/sign-in", data={"email": "flood@example.org", "csrf_token": token}).status_code
        for _ in range(4)
    ]
    assert statuses == [200, 200, 200, 429]
    # Unknown addresses are limited just the same, so the limit tells nothing about who is known.
    unknown = [
        client.post("/sign-in", data={"email": "nobody@example.org", "csrf_token": token}).status_code
        for _ in range(4)
    ]
    assert unknown == statuses


def test_counts_are_shared_by_every_process_serving_the_app(
    app: FastAPI, settings: object, client: TestClient
) -> None:
    """A second app instance (another worker process) sees the failures counted by the first."""
    other = create_app(settings)  # type: ignore[arg-type]
    other.dependency_overrides.update(app.dependency_overrides)
    for _ in range(3):
        _fail_token(client, "shared@example.org")
    with TestClient(other) as second:
        assert _fail_token(second, "shared@example.org") == 401
        assert _fail_token(second, "shared@example.org") == 401
        assert _fail_token(second, "shared@example.org") == 429
    assert _fail_token(client, "shared@example.org") == 429


@pytest.fixture(scope="module")
def redis_url() -> Iterator[str]:
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server not installed: the Redis store is optional")
    port = free_port()
    process = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    store = RedisStore(url)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            store.redis.ping()
            break
        except Exception:
            time.sleep(0.05)
    yield url
    process.terminate()
    process.wait(timeout=10)


def test_the_redis_store_limits_alike_across_limiter_instances(redis_url: str, db_session: Session) -> None:
    rule = Rule("redis-test", 2, timedelta(minutes=15))
    first, second = RateLimiter(RedisStore(redis_url)), RateLimiter(RedisStore(redis_url))
    checks = [(rule, f"key-{time.monotonic_ns()}")]
    first.hit_and_check(checks, db_session=db_session)
    second.hit_and_check(checks, db_session=db_session)
    with pytest.raises(TooManyRequests) as refused:
        first.hit_and_check(checks, db_session=db_session)
    assert 0 < refused.value.retry_after <= 15 * 60
    with pytest.raises(TooManyRequests):
        second.check(checks, db_session=db_session)


def test_the_app_uses_redis_when_configured(redis_url: str, settings: object, app: FastAPI) -> None:
    redis_settings = settings.model_copy(update={"redis_url": redis_url})  # type: ignore[attr-defined]
    redis_app = create_app(redis_settings)
    redis_app.dependency_overrides.update(app.dependency_overrides)
    email = f"redis{time.monotonic_ns()}@example.org"
    with TestClient(redis_app) as redis_client:
        assert [_fail_token(redis_client, email) for _ in range(6)] == [401] * 5 + [429]
    assert isinstance(redis_app.state.rate_limiter.store, RedisStore)


def test_old_windows_are_forgotten(db_session: Session) -> None:
    limiter = RateLimiter(limits.DatabaseStore())
    checks = [(Rule("old", 5, timedelta(minutes=15)), "key")]
    limiter.hit(checks, db_session=db_session)
    start = clock.now()
    clock.set_source(lambda: start + timedelta(days=2))
    assert limits.delete_old_counters(db_session=db_session) == 1
