"""Settings read from the environment (prefix ``ROADSHOW_``)."""

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from app.backpressure import DEFAULT_LIMIT

ROOT = Path(__file__).resolve().parents[1]
DEVELOPMENT_SECRET = "development-only-secret-change-me"  # noqa: S105 (refused in production)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ROADSHOW_", env_file=".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    database_url: str = "sqlite:///./roadshow.db"
    secret_key: str = DEVELOPMENT_SECRET
    # Where people reach the app: every emailed link and feed URL starts here. Unset, it is the
    # address `make run` / `roadshow serve` listens on (the PORT they export); set it in production.
    base_url: str = ""
    port: int = Field(default=8000, ge=1, le=65535, validation_alias=AliasChoices("PORT", "ROADSHOW_PORT"))
    default_language: Literal["it", "en"] = "it"
    redis_url: str | None = None
    # Seconds each process may serve an anonymous visitor a public page it rendered before.
    public_cache_seconds: float = Field(default=2.0, ge=0, le=60)
    # Copies each process keeps of the public pages' stop listings and stop pages, until the
    # public data changes in the database (0 builds them on every request).
    public_copies: int = Field(default=256, ge=0, le=100_000)
    # Requests each process works on at once; the others wait their turn (app.backpressure).
    requests_at_once: int = Field(default=DEFAULT_LIMIT, ge=1, le=15)
    # Seconds the B2B meeting scheduler may search before returning its best schedule.
    scheduler_time_limit: float = Field(default=10.0, gt=0, le=600)
    # Seconds the calendar planner may spend solving for one plan.
    planner_time_limit: float = Field(default=10.0, gt=0, le=600)
    # Who runs the scheduler's and the planner's jobs: a thread of the app itself (true), or
    # ``roadshow worker`` processes (false). Unset: the app itself on SQLite (``make run`` needs
    # nothing else), the workers on PostgreSQL.
    jobs_in_process: bool | None = None

    smtp_host: str | None = None
    smtp_port: int = 25
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = False
    mail_from: str = "Roadshow Confindustria Lombardia <roadshow@example.org>"

    # Invitations of consuls without an answer get one reminder per this many days.
    invitation_reminder_days: int = Field(default=5, ge=1)
    # Days after a stop when each party is asked again where each meeting led (about six months).
    outcome_follow_up_days: int = Field(default=182, ge=7, le=1000)

    # Named on every consul page, so that a representative always knows whom to write or call.
    organiser_email: str = "roadshow@example.org"
    organiser_phone: str = "+39 02 0000 0000"

    seed_dir: Path = ROOT / "seed_data"
    templates_dir: Path = ROOT / "templates"

    @model_validator(mode="after")
    def default_base_url_to_the_served_port(self) -> "Settings":
        if not self.base_url:
            self.base_url = f"http://127.0.0.1:{self.port}"
        self.base_url = self.base_url.rstrip("/")
        return self

    @model_validator(mode="after")
    def refuse_default_secret_outside_development(self) -> "Settings":
        if self.environment == "production" and self.secret_key == DEVELOPMENT_SECRET:
            raise ValueError("ROADSHOW_SECRET_KEY must be set to a private value in production")
        if self.environment == "production" and len(self.secret_key) < 32:
            raise ValueError("ROADSHOW_SECRET_KEY must be at least 32 characters in production")
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def absolute_url(self, path: str) -> str:
        """``path`` (``/stops/3``) as a link people can open from an email or a calendar."""
        return f"{self.base_url}/{path.lstrip('/')}"

    @property
    def runs_jobs_in_process(self) -> bool:
        return self.is_sqlite if self.jobs_in_process is None else self.jobs_in_process

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")


@lru_cache
def get_settings() -> Settings:
    return Settings()
