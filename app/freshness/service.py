"""Parts of public pages kept per process until what they show has changed.

The calendar, ``/api/stops`` and a stop's page read every published stop, its featured
countries, its seats and its agenda. Signed-in people get them fresh (the anonymous cache of
``app.cache`` is a few seconds behind by design), so without this each view would read and
render them again. Here a process keeps what it built under the token of ``public_version``:

- a commit that wrote any table other than those public pages never show (``UNSEEN``) gives
  the row a new token, as the transaction's last statement, so the row is locked only while
  the commit lands and a transaction waiting for it holds nothing the committer needs;
- a request reads the token (one statement, which also carries the reference data's token)
  and is served the kept copy built under the same token, unless the moment it was built for
  has passed: a hold lapsing, registrations opening or closing, a stop's day going by;
- a session that has written is neither served a copy (it must see its own changes) nor keeps
  one (its view may still be rolled back).

Any process, and any worker, sees the new token on its next request: nothing is ever served
that differs from a fresh read.
"""

import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, Table, event, update
from sqlalchemy.orm import ORMExecuteState, SessionTransaction
from sqlalchemy.orm import Session as OrmSession
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import SelectOfScalar

from app import clock
from app.freshness.models import PublicVersion
from app.reference import service as reference_service

T = TypeVar("T")
M = TypeVar("M")

# Tables no public page reads: writing them leaves every kept copy valid.
UNSEEN = frozenset(
    {
        "audit_event",
        "job",
        "outbox_message",
        "outbox_attachment",
        "rate_limit_counter",
        "sign_in_token",
        "user_account",
        "meeting",
        "meeting_request",
        "meeting_rating",
        "schedule_run",
        "published_agenda",
        "planning_scenario",
        "public_version",
    }
)
CHANGED = "roadshow.public_changed"
STAMP = "roadshow.public_stamp"
KEEP = 256


@dataclass(frozen=True)
class Stamp:
    """The tokens a request read: of the public data and of the reference data."""

    public: str
    reference: str


def stamp(*, db_session: Session) -> Stamp:
    """The current tokens, read once per session (one statement, unless ``first_stamped``
    read them beside the signed-in user)."""
    found = db_session.info.get(STAMP)
    if isinstance(found, Stamp):
        return found
    row = db_session.exec(
        select(PublicVersion.token, reference_service.token_column()).where(PublicVersion.id == 1)
    ).one()
    return _remember(row[0], row[1], db_session=db_session)


def stamped(query: SelectOfScalar[M]) -> Select[tuple[M, str, str]]:
    """``query`` carrying the public data's and the reference data's tokens as two more
    columns, for the first statement of a request (``first_stamped``)."""
    public = select(PublicVersion.token).where(PublicVersion.id == 1).scalar_subquery()
    return query.add_columns(public, reference_service.token_column())


def first_stamped(
    statement: Select[tuple[M, str, str]], params: dict[str, Any], *, db_session: Session
) -> M | None:
    """The first row of a ``stamped`` statement, with the tokens it read remembered for the
    session."""
    row = db_session.execute(statement, params).first()
    if row is None:
        return None
    if row[1] is not None and row[2] is not None:
        _remember(row[1], row[2], db_session=db_session)
    return row[0]  # type: ignore[no-any-return]


def _remember(public: str, reference: str, *, db_session: Session) -> Stamp:
    found = Stamp(public=public, reference=reference)
    reference_service.cached(db_session=db_session, token=found.reference)
    db_session.info[STAMP] = found
    return found


class Copies:
    """Built values by key, each with the token it was built under and the moment it lapses."""

    def __init__(self, keep: int = KEEP) -> None:
        self.keep = keep
        self._entries: OrderedDict[Hashable, tuple[Stamp, datetime | None, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def kept(
        self,
        key: Hashable,
        build: Callable[[], tuple[T, datetime | None]],
        *,
        db_session: Session,
    ) -> T:
        """The copy of ``key`` built under the current tokens, or a new one from ``build``,
        which returns the value and the moment it stops being true by itself (or None)."""
        if _has_written(db_session):
            return build()[0]  # this session's own changes, not yet committed, must show
        current = stamp(db_session=db_session)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                built_under, lapses_at, value = entry
                if built_under == current and (lapses_at is None or clock.now() < lapses_at):
                    self._entries.move_to_end(key)
                    return value  # type: ignore[no-any-return]
        value, lapses_at = build()
        if self.keep and not _has_written(db_session):  # a build that wrote keeps nothing
            with self._lock:
                self._entries[key] = (current, lapses_at, value)
                self._entries.move_to_end(key)
                while len(self._entries) > self.keep:
                    self._entries.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


def _has_written(session: OrmSession) -> bool:
    return bool(session.info.get(CHANGED) or session.new or session.dirty or session.deleted)


def _seen(table: Any) -> bool:
    return not (isinstance(table, Table) and table.name in UNSEEN)


@event.listens_for(OrmSession, "before_flush")
def _note_changes(session: OrmSession, _context: object, _instances: object) -> None:
    changed = (*session.new, *session.dirty, *session.deleted)
    if any(_seen(getattr(type(obj), "__table__", None)) for obj in changed):
        session.info[CHANGED] = True


@event.listens_for(OrmSession, "do_orm_execute")
def _note_statement(state: ORMExecuteState) -> None:
    writes = state.is_insert or state.is_update or state.is_delete
    if writes and _seen(getattr(state.statement, "table", None)):
        state.session.info[CHANGED] = True


@event.listens_for(OrmSession, "before_commit")
def _new_token_before_commit(session: OrmSession) -> None:
    if session.in_nested_transaction():
        return  # a savepoint released: the token is decided when the transaction commits
    session.flush()  # what is still pending is noted before the token is decided
    if session.info.pop(CHANGED, False):
        new_token = update(PublicVersion).where(col(PublicVersion.id) == 1).values(token=uuid.uuid4().hex)
        session.execute(new_token)


@event.listens_for(OrmSession, "after_transaction_end")
def _forget_when_the_transaction_ends(session: OrmSession, transaction: SessionTransaction) -> None:
    # Only the outermost transaction: a savepoint rolled back leaves the writes made before it.
    if transaction.parent is None:
        session.info.pop(CHANGED, None)
        session.info.pop(STAMP, None)
