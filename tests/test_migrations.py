from collections.abc import Callable

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect
from sqlmodel import SQLModel

from app.db import make_engine
from app.migrate import downgrade, upgrade


def _migrate_check_and_downgrade(url: str) -> None:
    upgrade(url)
    engine = make_engine(url)
    with engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []
        assert "stop" in inspect(conn).get_table_names()
    downgrade(url)
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) <= {"alembic_version"}
    engine.dispose()


def test_sqlite_migrates_to_head_matches_models_and_downgrades(sqlite_database: Callable[[], str]) -> None:
    _migrate_check_and_downgrade(sqlite_database())


@pytest.mark.postgres
def test_postgresql_migrates_to_head_matches_models_and_downgrades(
    postgres_database: Callable[[], str],
) -> None:
    _migrate_check_and_downgrade(postgres_database())
