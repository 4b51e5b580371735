"""Rate limits on logins and sign-in-link requests, per client address and per email.

Fixed windows counted in a store every worker process shares: the database by default
(``rate_limit_counter``, one row per key and window, incremented with an atomic upsert), or
Redis when ``ROADSHOW_REDIS_URL`` is set. With the database the counts are part of the
request's transaction, so a route must *return* its failure response (not raise) for the
failure to be counted.
"""

import hashlib
import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from redis import Redis
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session, col, delete

from app import clock
from app.accounts.models import RateLimitCounter
from app.errors import TooManyRequests
from app.i18n import ngettext


@dataclass(frozen=True)
class Rule:
    name: str
    limit: int
    window: timedelta


WINDOW = timedelta(minutes=15)
LOGIN_FAILURES_PER_EMAIL = Rule("login-email", 5, WINDOW)
LOGIN_FAILURES_PER_ADDRESS = Rule("login-address", 20, WINDOW)
LINK_REQUESTS_PER_EMAIL = Rule("link-email", 3, WINDOW)
LINK_REQUESTS_PER_ADDRESS = Rule("link-address", 10, WINDOW)

Check = tuple[Rule, str]


def email_key(email: str) -> str:
    """Emails are counted under a hash: the counters need not hold anyone's address."""
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def login_checks(address: str, email: str) -> list[Check]:
    return [(LOGIN_FAILURES_PER_ADDRESS, address), (LOGIN_FAILURES_PER_EMAIL, email_key(email))]


def link_checks(address: str, email: str) -> list[Check]:
    return [(LINK_REQUESTS_PER_ADDRESS, address), (LINK_REQUESTS_PER_EMAIL, email_key(email))]


def window_start(rule: Rule, moment: datetime) -> datetime:
    seconds = int(rule.window.total_seconds())
    epoch = int(moment.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=UTC)


class Store(Protocol):
    def count(self, key: str, start: datetime, *, db_session: Session) -> int: ...

    def add(self, key: str, start: datetime, window: timedelta, *, db_session: Session) -> int: ...


class DatabaseStore:
    """Counters in ``rate_limit_counter``; the upsert is atomic on SQLite and PostgreSQL alike."""

    def count(self, key: str, start: datetime, *, db_session: Session) -> int:
        row = db_session.get(RateLimitCounter, (key, start))
        return row.hits if row else 0

    def add(self, key: str, start: datetime, window: timedelta, *, db_session: Session) -> int:
        dialect = db_session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        table = RateLimitCounter.__table__  # type: ignore[attr-defined]
        statement = (
            insert(table)
            .values(key=key, window_start=start, hits=1)
            .on_conflict_do_update(index_elements=["key", "window_start"], set_={"hits": table.c.hits + 1})
            .returning(table.c.hits)
        )
        hits = db_session.exec(statement).scalar_one()
        # The ORM may hold the row from an earlier count(): let it read the new value.
        db_session.expire_all()
        return int(hits)


class RedisStore:
    """Counters in Redis, each expiring with its window."""

    def __init__(self, url: str) -> None:
        self.redis = Redis.from_url(url)

    def _key(self, key: str, start: datetime) -> str:
        return f"roadshow:rate:{key}:{int(start.timestamp())}"

    def count(self, key: str, start: datetime, *, db_session: Session) -> int:
        value = self.redis.get(self._key(key, start))
        return int(value) if value is not None else 0

    def add(self, key: str, start: datetime, window: timedelta, *, db_session: Session) -> int:
        name = self._key(key, start)
        pipe = self.redis.pipeline()
        pipe.incr(name)
        pipe.expire(name, int(window.total_seconds()) + 60)
        hits, _ = pipe.execute()
        return int(hits)


class RateLimiter:
    def __init__(self, store: Store) -> None:
        self.store = store

    def check(self, checks: list[Check], *, db_session: Session) -> None:
        """Refuse (429) when any key has already used up its window."""
        now = clock.now()
        for rule, value in checks:
            start = window_start(rule, now)
            if self.store.count(f"{rule.name}:{value}", start, db_session=db_session) >= rule.limit:
                raise _too_many(rule, start, now)

    def hit(self, checks: list[Check], *, db_session: Session) -> None:
        """Count one attempt against every key."""
        now = clock.now()
        for rule, value in checks:
            start = window_start(rule, now)
            self.store.add(f"{rule.name}:{value}", start, rule.window, db_session=db_session)

    def hit_and_check(self, checks: list[Check], *, db_session: Session) -> None:
        """Count this attempt, and refuse it (429) if it goes over any limit."""
        now = clock.now()
        for rule, value in checks:
            start = window_start(rule, now)
            hits = self.store.add(f"{rule.name}:{value}", start, rule.window, db_session=db_session)
            if hits > rule.limit:
                raise _too_many(rule, start, now)


def _too_many(rule: Rule, start: datetime, now: datetime) -> TooManyRequests:
    seconds = max(1, math.ceil((start + rule.window - now).total_seconds()))
    minutes = math.ceil(seconds / 60)
    message = ngettext(
        "Too many attempts. Please try again in %(minutes)d minute.",
        "Too many attempts. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    return TooManyRequests(seconds, message)


def limiter_for(redis_url: str | None) -> RateLimiter:
    return RateLimiter(RedisStore(redis_url) if redis_url else DatabaseStore())


def delete_old_counters(*, db_session: Session, older_than: timedelta = timedelta(days=1)) -> int:
    """Forget windows long past (periodic job of the worker); Redis expires its own."""
    result = db_session.exec(
        delete(RateLimitCounter).where(col(RateLimitCounter.window_start) < clock.now() - older_than)
    )
    return int(result.rowcount)
