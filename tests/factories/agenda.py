"""Items of a stop's agenda and their speakers."""

from datetime import time
from typing import Any

from sqlmodel import Session

from app.agenda.models import AgendaItem, AgendaItemKind, AgendaSpeaker
from app.stops.models import Stop


def create_agenda_item(
    db_session: Session,
    stop: Stop,
    *,
    kind: AgendaItemKind | str = AgendaItemKind.KEYNOTE,
    starts_at: time = time(10, 0),
    ends_at: time = time(10, 30),
    room: str = "Sala plenaria",
    **overrides: Any,
) -> AgendaItem:
    """A keynote from 10:00 to 10:30 in the plenary room, titled after its kind; any AgendaItem
    column may be given."""
    kind = AgendaItemKind(kind)
    values: dict[str, Any] = {"title_it": f"Intervento {kind}", "title_en": f"Talk {kind}"}
    values.update(overrides)
    item = AgendaItem(
        stop_id=stop.id or 0, kind=kind, starts_at=starts_at, ends_at=ends_at, room=room, **values
    )
    db_session.add(item)
    db_session.flush()
    return item


def create_agenda_speaker(
    db_session: Session,
    item: AgendaItem,
    *,
    representative_id: int | None = None,
    name: str = "",
    affiliation: str = "",
) -> AgendaSpeaker:
    """A speaker of ``item``: a representative, or a person named with their ``affiliation``."""
    speaker = AgendaSpeaker(
        item_id=item.id or 0,
        representative_id=representative_id,
        name=name,
        affiliation=affiliation,
    )
    db_session.add(speaker)
    db_session.flush()
    return speaker
