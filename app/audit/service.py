"""Recording what organisers change: who, when, what, before and after."""

from datetime import date, datetime, time
from enum import Enum
from typing import Any

from sqlmodel import Session, SQLModel

from app.accounts.models import User
from app.audit.models import AuditEvent


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
