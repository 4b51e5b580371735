"""Running queued jobs inside a test's transaction, as a runner would outside it."""

from collections.abc import Iterator
from contextlib import contextmanager

from sqlmodel import Session

from app.jobs import service as jobs


def unit_sessions(connection: object) -> jobs.Sessions:
    """Units of work on the test's connection: each commits a savepoint, seen by the others."""

    @contextmanager
    def unit(*, write: bool = True) -> Iterator[Session]:
        session = Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)  # type: ignore[arg-type]
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    return unit


def run_pending(connection: object) -> int:
    """Run every queued job now; how many ran."""
    return jobs.run_pending(sessions=unit_sessions(connection), runner="test-runner")
