"""Recording what organisers change: who, when, what, before and after."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import Enum
from typing import Any

from sqlmodel import Session, SQLModel, col, func, select

from app.accounts.models import User
from app.audit.models import AuditEvent
from app.clock import ROME


def _plain(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return value


def snapshot(row: SQLModel, **extra: Any) -> dict[str, Any]:
    """A JSON-ready copy of a row's columns (plus related values such as a stop's countries)."""
    # Enum columns read back from the database are plain strings: no serializer warnings for them.
    values = {key: _plain(value) for key, value in row.model_dump(warnings=False).items()}
    values.update({key: _plain(value) for key, value in extra.items()})
    return values


def changed(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Only the keys whose values differ, so the log shows what changed."""
    keys = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(
    *,
    db_session: Session,
    actor: User | None,
    action: str,
    entity_type: str,
    entity_id: object,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    event = AuditEvent(
        actor_user_id=actor.id if actor else None,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        before=_plain(before) if before is not None else None,
        after=_plain(after) if after is not None else None,
    )
    db_session.add(event)
    db_session.flush()
    return event


def record_change(
    *,
    db_session: Session,
    actor: User | None,
    action: str,
    entity_type: str,
    entity_id: object,
    before: dict[str, Any],
    after: dict[str, Any],
) -> AuditEvent | None:
    """Record only the values that differ between two snapshots; nothing when none does."""
    old, new = changed(before, after)
    if not new:
        return None
    return record(
        db_session=db_session,
        actor=actor,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        before=old,
        after=new,
    )


@dataclass(frozen=True)
class AuditFilters:
    actor_id: int | None = None
    entity_type: str | None = None
    action: str | None = None
    date_from: date | None = None
    date_to: date | None = None


@dataclass(frozen=True)
class AuditPage:
    events: list[tuple[AuditEvent, User | None]]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _rome_midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=ROME)


def search(*, db_session: Session, filters: AuditFilters, page: int = 1, per_page: int = 50) -> AuditPage:
    """Events matching ``filters``, newest first; dates are days in Rome, both ends included."""
    conditions: list[Any] = []
    if filters.actor_id is not None:
        conditions.append(AuditEvent.actor_user_id == filters.actor_id)
    if filters.entity_type:
        conditions.append(AuditEvent.entity_type == filters.entity_type)
    if filters.action:
        conditions.append(AuditEvent.action == filters.action)
    if filters.date_from:
        conditions.append(col(AuditEvent.occurred_at) >= _rome_midnight(filters.date_from))
    if filters.date_to:
        conditions.append(col(AuditEvent.occurred_at) < _rome_midnight(filters.date_to + timedelta(days=1)))
    total = db_session.exec(select(func.count()).select_from(AuditEvent).where(*conditions)).one()
    rows = db_session.exec(
        select(AuditEvent, User)
        .join(User, col(AuditEvent.actor_user_id) == col(User.id), isouter=True)
        .where(*conditions)
        .order_by(col(AuditEvent.occurred_at).desc(), col(AuditEvent.id).desc())
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    return AuditPage(
        events=[(event, actor) for event, actor in rows], total=total, page=page, per_page=per_page
    )


def filter_choices(*, db_session: Session) -> dict[str, list[Any]]:
    """What the filters can offer: the people who acted, the entity types and actions seen."""
    actors = db_session.exec(
        select(User)
        .where(col(User.id).in_(select(AuditEvent.actor_user_id).distinct()))
        .order_by(col(User.email))
    ).all()
    entity_types = db_session.exec(
        select(AuditEvent.entity_type).distinct().order_by(AuditEvent.entity_type)
    ).all()
    actions = db_session.exec(select(AuditEvent.action).distinct().order_by(AuditEvent.action)).all()
    return {"actors": list(actors), "entity_types": list(entity_types), "actions": list(actions)}


def changes(event: AuditEvent) -> list[tuple[str, Any, Any]]:
    """(field, before, after) for every field the event mentions, in a stable order."""
    before, after = event.before or {}, event.after or {}
    keys = list(dict.fromkeys([*before, *after]))
    return [(key, before.get(key), after.get(key)) for key in keys]
