"""People who sign in: organisers and admins with passwords, companies and consuls by link."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import String
from sqlmodel import Field, SQLModel

from app.db import UTCDateTime, utcnow


class Role(StrEnum):
    ADMIN = "admin"
    ORGANISER = "organiser"
    COMPANY = "company"
    CONSUL = "consul"


class User(SQLModel, table=True):
    # "user" is reserved in PostgreSQL.
    __tablename__ = "user_account"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=254, unique=True)
    role: Role = Field(sa_type=String(20))
    password_hash: str | None = Field(default=None, max_length=255)
    company_id: int | None = Field(default=None, foreign_key="company.id", index=True)
    representative_id: int | None = Field(default=None, foreign_key="representative.id")
    language: str = Field(default="it", max_length=2)
    is_active: bool = True
    # Raised to revoke every session, API token and sign-in link issued so far (accounts.credentials).
    credential_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    last_login_at: datetime | None = Field(default=None, sa_type=UTCDateTime)


class SignInToken(SQLModel, table=True):
    """A single-use link token, stored only as its hash."""

    __tablename__ = "sign_in_token"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    user_id: int = Field(foreign_key="user_account.id", index=True)
    purpose: str = Field(default="sign_in", max_length=30)
    # Where the link leads once it has signed the person in (a local path).
    next_path: str = Field(
        default="/account", max_length=500, sa_column_kwargs={"server_default": "/account"}
    )
    expires_at: datetime = Field(sa_type=UTCDateTime)
    used_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class RateLimitCounter(SQLModel, table=True):
    """Hits on one key (an address or a hashed email) within one fixed window.

    Kept in the database so that every worker process sees the same counts.
    """

    __tablename__ = "rate_limit_counter"

    key: str = Field(max_length=120, primary_key=True)
    window_start: datetime = Field(sa_type=UTCDateTime, primary_key=True, index=True)
    hits: int = 0
