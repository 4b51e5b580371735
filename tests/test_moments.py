"""Moments are stored and read back as aware UTC datetimes on both engines, whatever the time
zone the PostgreSQL server or database is set to."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone

import psycopg
import pytest
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.db import make_engine
from tests.conftest import POSTGRES_ADMIN_DSN, migrated_and_seeded

# 10:30 in Tokyo, stored from a datetime in another zone than UTC.
MOMENT = datetime(2027, 5, 12, 10, 30, tzinfo=timezone(timedelta(hours=9)))


def _stored_and_read(url: str) -> datetime:
    engine = migrated_and_seeded(url)
    try:
        with Session(engine) as db_session:
            event = AuditEvent(action="test", entity_type="moment", entity_id="1", occurred_at=MOMENT)
            db_session.add(event)
            db_session.commit()
        # A new engine: nothing of the write is remembered by the session or the pool.
        reader = make_engine(url)
        try:
            with Session(reader) as db_session:
                found = db_session.exec(select(AuditEvent).where(AuditEvent.entity_type == "moment")).one()
                return found.occurred_at
        finally:
            reader.dispose()
    finally:
        engine.dispose()


def test_a_moment_reads_back_as_the_same_instant_in_utc_on_sqlite(sqlite_database: Callable[[], str]) -> None:
    read = _stored_and_read(sqlite_database())
    assert read == MOMENT and read.tzinfo is UTC


@pytest.mark.postgres
def test_a_moment_reads_back_in_utc_when_the_postgresql_database_is_set_to_another_zone(
    postgres_database: Callable[[], str],
) -> None:
    url = postgres_database()
    name = url.rsplit("/", 1)[1]
    with psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True) as conn:
        conn.execute(f"ALTER DATABASE \"{name}\" SET timezone TO 'America/New_York'")
    read = _stored_and_read(url)
    # The same instant, marked with datetime.UTC itself: pages and feeds compare and format it
    # without converting (the engine reads it so, with no conversion of its own per value).
    assert read == MOMENT and read.tzinfo is UTC
    assert read.hour == 1 and read.minute == 30


@pytest.mark.postgres
def test_a_moment_still_reads_in_utc_when_something_resets_the_sessions_time_zone(
    postgres_database: Callable[[], str],
) -> None:
    url = postgres_database()
    engine = migrated_and_seeded(url)
    try:
        with Session(engine) as db_session:
            db_session.add(AuditEvent(action="test", entity_type="moment", entity_id="1", occurred_at=MOMENT))
            db_session.commit()
            # What a pooling proxy's reset or a RESET ALL would leave behind.
            db_session.connection().exec_driver_sql("SET TIME ZONE 'Asia/Kolkata'")
            found = db_session.exec(select(AuditEvent).where(AuditEvent.entity_type == "moment")).one()
            db_session.refresh(found)
            assert found.occurred_at == MOMENT and found.occurred_at.tzinfo is UTC
    finally:
        engine.dispose()
