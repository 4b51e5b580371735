import pytest
from pydantic import ValidationError

from app.config import Settings


def test_production_refuses_the_default_secret() -> None:
    with pytest.raises(ValidationError, match="ROADSHOW_SECRET_KEY"):
        Settings(environment="production")


def test_production_accepts_a_private_secret() -> None:
    settings = Settings(
        environment="production", secret_key="x" * 40, base_url="https://roadshow.example.org"
    )
    assert settings.secure_cookies


def test_sqlite_is_the_default_database(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ROADSHOW_DATABASE_URL", raising=False)
    assert Settings(_env_file=None).database_url == "sqlite:///./roadshow.db"
