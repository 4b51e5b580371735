"""The response settles the request's transaction: a failure writes nothing unless it says so."""

import asyncio
from collections.abc import Callable, Iterator
from datetime import timedelta

import pytest
from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlalchemy import Engine, event
from sqlmodel import Session, select

from app import clock
from app.accounts.models import RateLimitCounter
from app.audit.models import AuditEvent
from app.companies.models import Registration
from app.db import SessionDep, TransactionRoute, discard_changes, keep_changes, session_scope
from app.errors import Conflict
from app.main import create_app
from tests.companies.test_public_registration import confirm_link
from tests.companies.test_public_registration import form as registration_form
from tests.conftest import migrated_and_seeded
from tests.factories import create_stop, csrf_token, outbox

router = APIRouter(prefix="/api/test-transactions", route_class=TransactionRoute)


def _write(db_session: Session, entity_id: str) -> None:
    db_session.add(AuditEvent(action="test", entity_type="transaction-test", entity_id=entity_id))
    db_session.flush()


@router.post("/{entity_id}/page")
def flushed_then_answered(entity_id: str, db_session: SessionDep, status: int = 200) -> Response:
    _write(db_session, entity_id)
    return JSONResponse({}, status_code=status)


@router.post("/{entity_id}/raised")
def flushed_then_raised(entity_id: str, db_session: SessionDep) -> Response:
    _write(db_session, entity_id)
    raise Conflict()


@router.post("/{entity_id}/kept")
def flushed_failure_kept(entity_id: str, db_session: SessionDep) -> Response:
    _write(db_session, entity_id)
    keep_changes(db_session)
    return JSONResponse({}, status_code=401)


@router.post("/{entity_id}/discarded")
def flushed_then_redirected(entity_id: str, db_session: SessionDep) -> Response:
    _write(db_session, entity_id)
    discard_changes(db_session)
    return RedirectResponse("/", status_code=303)


def _written(db_session: Session, entity_id: str) -> bool:
    query = select(AuditEvent).where(
        AuditEvent.entity_type == "transaction-test", AuditEvent.entity_id == entity_id
    )
    return db_session.exec(query).first() is not None


@pytest.fixture
def test_client(app: FastAPI) -> Iterator[TestClient]:
    app.include_router(router)
    with TestClient(app) as test_client:
        yield test_client


def test_every_route_of_the_app_settles_its_transaction_by_its_response() -> None:
    contexts = [c for c in iter_route_contexts(create_app().routes) if isinstance(c.original_route, APIRoute)]
    assert len(contexts) > 100
    assert [c.path for c in contexts if not isinstance(c.original_route, TransactionRoute)] == []


@pytest.mark.parametrize(("status", "kept"), [(200, True), (303, True), (409, False), (422, False)])
def test_a_page_answered_with_a_failure_status_writes_nothing_the_service_flushed(
    test_client: TestClient, db_session: Session, status: int, kept: bool
) -> None:
    assert (
        test_client.post(f"/api/test-transactions/page-{status}/page?status={status}").status_code == status
    )
    assert _written(db_session, f"page-{status}") is kept


def test_a_raised_error_writes_nothing(test_client: TestClient, db_session: Session) -> None:
    assert test_client.post("/api/test-transactions/raised/raised").status_code == 409
    assert not _written(db_session, "raised")


def test_a_failure_that_must_stay_written_is_committed(test_client: TestClient, db_session: Session) -> None:
    assert test_client.post("/api/test-transactions/kept/kept").status_code == 401
    assert _written(db_session, "kept")


def test_a_failure_answered_with_a_redirect_is_discarded(
    test_client: TestClient, db_session: Session
) -> None:
    assert (
        test_client.post("/api/test-transactions/gone/discarded", follow_redirects=False).status_code == 303
    )
    assert not _written(db_session, "gone")


# The production path, without the tests' session override: a database of its own, since
# what is committed here stays.


@pytest.fixture(scope="module")
def real_engine(sqlite_database: Callable[[], str]) -> Iterator[Engine]:
    engine = migrated_and_seeded(sqlite_database())
    yield engine
    engine.dispose()


@pytest.fixture
def real_client(real_engine: Engine) -> Iterator[tuple[TestClient, list[str]]]:
    from app.config import Settings

    url = real_engine.url.render_as_string(hide_password=False)
    # No job runner of the app's own: its polls would add transactions to those counted here.
    settings = Settings(database_url=url, environment="test", public_cache_seconds=0, jobs_in_process=False)
    application = create_app(settings)
    application.include_router(router)
    begins: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.startswith("BEGIN"):
            begins.append(statement)

    event.listen(application.state.engine, "before_cursor_execute", record)
    with TestClient(application) as test_client:
        yield test_client, begins


def test_on_sqlite_a_request_that_may_write_takes_the_write_lock_up_front(
    real_client: tuple[TestClient, list[str]],
) -> None:
    test_client, begins = real_client
    assert test_client.get("/api/stops").status_code == 200
    assert begins == ["BEGIN"]
    begins.clear()
    assert test_client.post("/api/test-transactions/real-ok/page").status_code == 200
    assert begins == ["BEGIN IMMEDIATE"]


def test_on_the_real_engine_a_failure_writes_nothing_and_a_kept_one_stays(
    real_client: tuple[TestClient, list[str]], real_engine: Engine
) -> None:
    test_client, _begins = real_client
    assert test_client.post("/api/test-transactions/real-ok/page").status_code == 200
    assert test_client.post("/api/test-transactions/real-bad/page?status=422").status_code == 422
    assert test_client.post("/api/test-transactions/real-kept/kept").status_code == 401
    with session_scope(real_engine, write=False) as db_session:
        assert _written(db_session, "real-ok")
        assert not _written(db_session, "real-bad")
        assert _written(db_session, "real-kept")


def test_on_the_real_engine_no_database_call_runs_on_the_event_loop(
    real_client: tuple[TestClient, list[str]],
) -> None:
    """The session's dependencies run on the event loop; every statement, commit, rollback and
    pool checkout or return must still happen in the thread pool, where it blocks nobody."""
    test_client, _begins = real_client
    engine = test_client.app.state.engine  # type: ignore[attr-defined]
    on_loop: list[str] = []

    def noting(name: str) -> Callable[..., None]:
        def note(*_args: object) -> None:
            try:
                asyncio.get_running_loop()
            except RuntimeError:
                return  # a worker thread
            on_loop.append(name)

        return note

    listeners = [(engine, name) for name in ("begin", "before_cursor_execute", "commit", "rollback")] + [
        (engine.pool, name) for name in ("checkout", "checkin", "reset", "connect")
    ]
    for target, name in listeners:
        event.listen(target, name, noting(name))
    answers = [
        test_client.get("/api/stops").status_code,
        test_client.get("/api/stops/999999").status_code,
        test_client.post("/api/test-transactions/loop-ok/page").status_code,
        test_client.post("/api/test-transactions/loop-bad/page?status=422").status_code,
        test_client.post("/api/test-transactions/loop-raised/raised").status_code,
        test_client.post("/api/test-transactions/loop-kept/kept").status_code,
        test_client.post("/api/test-transactions/loop-gone/discarded", follow_redirects=False).status_code,
    ]
    assert answers == [200, 404, 200, 422, 409, 401, 303]
    assert on_loop == []


def test_on_the_real_engine_a_failed_login_is_counted(
    real_client: tuple[TestClient, list[str]], real_engine: Engine
) -> None:
    test_client, _begins = real_client
    answer = test_client.post(
        "/api/auth/token", data={"username": "nobody@example.org", "password": "wrong!"}
    )
    assert answer.status_code == 401
    with session_scope(real_engine, write=False) as db_session:
        assert db_session.exec(select(RateLimitCounter)).all()


def test_a_confirmation_link_answered_with_a_conflict_stays_spent(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, capacity=1, hold_hours=48)
    db_session.commit()
    client.post(f"/stops/{stop.id}/register", data=registration_form(client, 3))
    registration = db_session.exec(select(Registration).where(Registration.stop_id == stop.id)).one()
    later = clock.now() + timedelta(hours=49)
    clock.set_source(lambda: later)
    link = confirm_link(outbox(db_session, "giulia@officine3.it")[0])
    assert client.post(link, data={"csrf_token": csrf_token(client)}).status_code == 409
    db_session.refresh(registration)
    assert registration.status == "expired" and registration.confirmation_token_hash is None
