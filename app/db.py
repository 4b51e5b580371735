"""Engine, naming convention and the one-transaction-per-request session.

Every request gets one session, and the response decides what becomes of it: before the
response is sent, ``TransactionRoute`` commits when its status is below 400 and rolls back
otherwise, or when anything raised. So a route that catches a service's error and answers
with a page of messages (422, 409...) writes nothing, whatever the service had flushed. The
two exceptions are said at the line that needs them: ``keep_changes`` commits a failure that
must stay written (a failed-login count, a spent link), ``discard_changes`` undoes a failure
answered with a redirect. Every router is built with ``route_class=TransactionRoute`` (a test
checks each route of the app). Services only ``flush()``.

On SQLite, requests that may write (any method but GET/HEAD/OPTIONS) start their
transaction with ``BEGIN IMMEDIATE``: writers queue on the database lock up front instead of
failing half-way when a reader upgrades, which is what keeps capacity checks exact there.
On PostgreSQL the same checks lock the row they guard with ``SELECT ... FOR UPDATE``.
"""

import functools
import inspect
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Annotated, Any

import anyio
from fastapi import Depends, Request, Response
from fastapi.routing import APIRoute
from sqlalchemy import DateTime, Engine, MetaData, event
from sqlalchemy.engine import Connection
from sqlalchemy.types import TypeDecorator
from sqlmodel import Session, SQLModel, create_engine
from starlette.concurrency import run_in_threadpool

from app import clock

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION
metadata: MetaData = SQLModel.metadata

WRITE_OPTION = "roadshow_write"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def make_engine(url: str, **kwargs: Any) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False}, **kwargs)
        _configure_sqlite(engine)
        return engine
    # Room for up to 15 requests at once (app.backpressure) and the job threads without overflow:
    # an overflow connection is closed when returned, so each request beyond the pool would
    # open a new one.
    engine = create_engine(url, pool_pre_ping=True, pool_size=20, max_overflow=10, **kwargs)
    _configure_postgresql(engine)
    return engine


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Moments come back in UTC, and psycopg then marks them with ``datetime.UTC`` itself:
        # what ``UTCDateTime`` gives, with no conversion of each value (a page of a stop's
        # meetings reads thousands).
        with dbapi_connection.cursor() as cursor:
            cursor.execute("SET TIME ZONE 'UTC'")
        dbapi_connection.commit()


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control away from pysqlite so that BEGIN is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        immediate = conn.get_execution_options().get(WRITE_OPTION, False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def open_session(engine: Engine, *, write: bool) -> Session:
    session = Session(engine, expire_on_commit=False)
    if write:
        _start_writing(session)
    return session


def _start_writing(session: Session) -> None:
    """Take the session's connection now, as one that may write (BEGIN IMMEDIATE on SQLite)."""
    session.connection(execution_options={WRITE_OPTION: True})


@contextmanager
def session_scope(engine: Engine, *, write: bool = True) -> Iterator[Session]:
    """A unit of work outside a request (CLI, worker): commit on success, roll back on error."""
    session = open_session(engine, write=write)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


async def get_session(request: Request) -> AsyncIterator[Session]:
    """The request's session; tests override this dependency to bind it to their transaction.

    On the event loop, not the thread pool (each hop there costs a request about as much as
    one of its queries): a session takes its connection only at its first statement, and once
    the response has settled the transaction, closing it sends nothing. What does send
    something waits in the thread pool: a write session's connection, taken at once, and
    closing a session left in a transaction (a request cancelled before it settled).
    """
    session = open_session(request.app.state.engine, write=False)
    try:
        if request.method not in SAFE_METHODS:
            await run_in_threadpool(_start_writing, session)
        yield session
    finally:
        with anyio.CancelScope(shield=True):
            if session.in_transaction():
                await run_in_threadpool(session.close)
            else:
                session.close()


# What the route asked for, kept in the session's info until the response settles it.
OUTCOME = "roadshow_outcome"
KEEP, DISCARD = "keep", "discard"


async def _request_transaction(
    request: Request, session: Annotated[Session, Depends(get_session)]
) -> AsyncIterator[Session]:
    request.state.db_session = session
    try:
        yield session
    except BaseException:
        with anyio.CancelScope(shield=True):
            await run_in_threadpool(session.rollback)
        raise


SessionDep = Annotated[Session, Depends(_request_transaction, scope="function")]


def keep_changes(db_session: Session) -> None:
    """Commit this request although it answers with a failure: the failure must stay written."""
    db_session.info[OUTCOME] = KEEP


def discard_changes(db_session: Session) -> None:
    """Undo what this request wrote, now (so that a page rendered next reads the database as
    it was) and at the end, although the answer is a success status such as a redirect."""
    db_session.rollback()
    db_session.info[OUTCOME] = DISCARD


def settle(db_session: Session, status_code: int) -> None:
    """Commit or roll back the request's transaction for a response with this status."""
    outcome = db_session.info.pop(OUTCOME, None)
    if outcome == KEEP or (outcome != DISCARD and status_code < 400):
        db_session.commit()
    else:
        db_session.rollback()


# Set in the session's info once a route settled it in its own thread.
SETTLED = "roadshow_settled"


def _settling_in_its_thread(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """A sync endpoint that settles its request's transaction itself when it answers with a
    response: in the thread it ran in, saving the response a hop through the thread pool."""

    @functools.wraps(endpoint)
    def settling(*args: Any, **kwargs: Any) -> Any:
        answer = endpoint(*args, **kwargs)
        if isinstance(answer, Response):
            for value in kwargs.values():
                if isinstance(value, Session):  # the request's, from ``SessionDep``
                    settle(value, answer.status_code)
                    value.info[SETTLED] = True
                    break
        return answer

    return settling


class TransactionRoute(APIRoute):
    """A route whose response settles the request's transaction before it is sent.

    A sync route that takes the session and returns a response settles it in its own thread,
    as the route's last step; any other settles it here, once the response is built. Either
    way it runs inside the dependencies' exit stacks, so the session is still open, and an
    error on commit reaches the application's error handlers like any other.
    """

    def __init__(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = _settling_in_its_thread(endpoint)
        super().__init__(path, endpoint, **kwargs)

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def settling_handler(request: Request) -> Response:
            response = await handler(request)
            db_session = getattr(request.state, "db_session", None)
            if db_session is not None and not db_session.info.pop(SETTLED, False):
                await run_in_threadpool(settle, db_session, response.status_code)
            return response

        return settling_handler


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every engine (SQLite keeps no zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC)

    def result_processor(self, dialect: Any, coltype: Any) -> Any:
        if dialect.name == "postgresql":
            return _utc_as_given  # connections are set to UTC (make_engine): a check, no conversion
        return super().result_processor(dialect, coltype)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _utc_as_given(value: datetime | None) -> datetime | None:
    # One comparison per value; a value in another zone (a proxy that reset the session's
    # time zone, say) is still converted.
    return value if value is None or value.tzinfo is UTC else value.astimezone(UTC)


def utcnow() -> datetime:
    return clock.now()


# Every session, in the app, the CLI and the workers, gives the public data a new version when
# it commits a change to it (see app.freshness.service); imported here so none can miss it.
import app.freshness.service  # noqa: E402, F401
