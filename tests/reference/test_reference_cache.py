"""Reference data cached per process, read again once any writer has changed it."""

from sqlalchemy import event
from sqlalchemy.engine import Connection
from sqlmodel import Session, select

from app.reference import service
from app.reference.models import ReferenceVersion, Sector


def _fresh(connection: Connection) -> Session:
    """Another request's session (the test's transaction stands for the database)."""
    return Session(bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False)


def test_the_copy_is_reused_until_a_sector_changes_then_read_again(
    connection: Connection, db_session: Session
) -> None:
    with _fresh(connection) as reader:
        first = service.cached(db_session=reader)
    with _fresh(connection) as reader:
        assert service.cached(db_session=reader) is first  # same token: no reading again

    sector = db_session.exec(select(Sector).where(Sector.slug == first.sectors[0].slug)).one()
    before = db_session.exec(select(ReferenceVersion.token)).one()
    sector.name_en = "Renamed sector"
    db_session.add(sector)
    db_session.commit()
    assert db_session.exec(select(ReferenceVersion.token)).one() != before

    with _fresh(connection) as reader:
        again = service.cached(db_session=reader)
    assert again is not first
    assert again.sector(sector.slug).name_en == "Renamed sector"  # type: ignore[union-attr]


def test_the_copy_is_made_of_objects_no_session_owns(connection: Connection) -> None:
    with _fresh(connection) as reader:
        data = service.cached(db_session=reader)
        assert all(sector not in reader for sector in data.sectors)
    assert [s.position for s in data.sectors] == sorted(s.position for s in data.sectors)
    assert data.country("US") is not None and data.territory("VA") is not None


def test_one_query_per_session_and_none_when_the_token_came_with_another_query(
    connection: Connection,
) -> None:
    with _fresh(connection) as reader:
        token = reader.exec(select(ReferenceVersion.token)).one()
        service.cached(db_session=reader, token=token)
        statements: list[str] = []

        def record(*args: object) -> None:
            statements.append(str(args[2]))

        event.listen(connection, "before_cursor_execute", record)
        try:
            service.cached(db_session=reader)
        finally:
            event.remove(connection, "before_cursor_execute", record)
    assert statements == []
