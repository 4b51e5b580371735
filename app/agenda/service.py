"""Changing a stop's agenda: adding, changing and removing items, publishing it.

Every item is checked as a whole against the others and the stop's day before it is written;
the agenda as read (entries, speakers, problems) is in ``reading``.
"""

from datetime import time
from typing import Any

from sqlmodel import Session, select

from app import clock
from app.accounts.models import User
from app.agenda.checks import PlannedItem, check_item
from app.agenda.models import AgendaItem, AgendaItemKind, AgendaSpeaker
from app.agenda.reading import (
    AgendaEntry,
    InvitedRepresentative,
    agenda_problems,
    frame_for,
    get_item,
    input_from_entry,
    invited_representatives,
    list_entries,
)
from app.agenda.schemas import ItemInput, NamedSpeaker
from app.audit import service as audit
from app.errors import Conflict, InvalidInput, NotFound
from app.forms import Problems
from app.i18n import gettext as _
from app.i18n import lazy
from app.stops import service as stops_service
from app.stops.models import PublicationStatus, Stop


def _parse_time(value: str, name: str, errors: dict[str, str]) -> time | None:
    try:
        return time.fromisoformat(value.strip())
    except ValueError:
        errors[name] = _("Enter a time as HH:MM.") if value.strip() else _("Enter a time.")
        return None


def _validated(data: ItemInput, invited: list[InvitedRepresentative]) -> tuple[dict[str, Any], Problems]:
    errors = Problems()
    values: dict[str, Any] = {}
    try:
        values["kind"] = AgendaItemKind(data.kind)
    except ValueError:
        errors["kind"] = _("Choose the kind of item.")
    values["starts_at"] = _parse_time(data.starts_at, "starts_at", errors)
    values["ends_at"] = _parse_time(data.ends_at, "ends_at", errors)
    limits = {"title_it": 200, "title_en": 200, "description_it": 2000, "description_en": 2000, "room": 120}
    for name, limit in limits.items():
        text = str(getattr(data, name)).strip()
        if name.startswith("title") and not text:
            errors[name] = _("Enter a title.")
        elif len(text) > limit:
            errors[name] = _("Use at most %d characters.") % limit
        values[name] = text
    invited_ids = {r.representative.id for r in invited}
    if any(rep_id not in invited_ids for rep_id in data.representative_ids):
        errors["speakers"] = _("Choose representatives invited to this stop.")
    named = [NamedSpeaker(s.name.strip(), s.affiliation.strip(), s.to_confirm) for s in data.named_speakers]
    named = [s for s in named if s.name or s.affiliation]
    if any(not s.name for s in named):
        errors["named_speakers"] = _("Give the name of each speaker with an affiliation.")
    elif any(len(s.name) > 120 or len(s.affiliation) > 200 for s in named):
        errors["named_speakers"] = _("Use at most 120 characters for a name and 200 for an affiliation.")
    values["representative_ids"] = sorted(set(data.representative_ids))
    values["named_speakers"] = named
    return values, errors


def _check(
    stop: Stop, item_id: int | None, data: ItemInput, *, db_session: Session
) -> tuple[dict[str, Any], list[AgendaEntry]]:
    invited = invited_representatives(stop.id or 0, db_session=db_session)
    values, errors = _validated(data, invited)
    entries = list_entries(stop.id or 0, db_session=db_session)
    if not errors:
        planned = PlannedItem(
            id=item_id,
            kind=values["kind"],
            starts_at=values["starts_at"],
            ends_at=values["ends_at"],
            title=values["title_it"],
            room=values["room"],
            representative_ids=frozenset(values["representative_ids"]),
            speaker_names=frozenset(s.name.casefold() for s in values["named_speakers"]),
        )
        others = [entry.planned() for entry in entries if entry.item.id != item_id]
        errors = check_item(planned, others, frame_for(stop, invited))
    errors.check()
    return values, entries


def _write_speakers(item: AgendaItem, values: dict[str, Any], *, db_session: Session) -> None:
    for rep_id in values["representative_ids"]:
        db_session.add(AgendaSpeaker(item_id=item.id or 0, representative_id=rep_id))
    for speaker in values["named_speakers"]:
        db_session.add(
            AgendaSpeaker(
                item_id=item.id or 0,
                name=speaker.name,
                affiliation=speaker.affiliation,
                to_confirm=speaker.to_confirm,
            )
        )
    db_session.flush()


def _columns(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k not in ("representative_ids", "named_speakers")}


def _speakers_snapshot(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "representative_ids": values["representative_ids"],
        "named_speakers": [[s.name, s.affiliation, s.to_confirm] for s in values["named_speakers"]],
    }


def create_item(stop_id: int, data: ItemInput, *, actor: User, db_session: Session) -> AgendaItem:
    stop = stops_service.get(stop_id, db_session=db_session)
    values, _entries = _check(stop, None, data, db_session=db_session)
    item = AgendaItem(stop_id=stop_id, **_columns(values))
    db_session.add(item)
    db_session.flush()
    _write_speakers(item, values, db_session=db_session)
    _mark_draft_if_new(stop)
    after = audit.snapshot(item, **_speakers_snapshot(values))
    audit.record(
        db_session=db_session,
        actor=actor,
        action="agenda_item.create",
        entity_type="agenda_item",
        entity_id=item.id,
        after=after,
    )
    return item


def update_item(
    stop_id: int, item_id: int, data: ItemInput, *, actor: User, db_session: Session
) -> AgendaItem:
    stop = stops_service.get(stop_id, db_session=db_session)
    item = get_item(stop_id, item_id, db_session=db_session)
    values, entries = _check(stop, item_id, data, db_session=db_session)
    entry = next(e for e in entries if e.item.id == item_id)
    before = audit.snapshot(item, **_speakers_snapshot(_values_of(entry)))
    for name, value in _columns(values).items():
        setattr(item, name, value)
    for speaker in db_session.exec(select(AgendaSpeaker).where(AgendaSpeaker.item_id == item_id)):
        db_session.delete(speaker)
    db_session.flush()
    _write_speakers(item, values, db_session=db_session)
    after = audit.snapshot(item, **_speakers_snapshot(values))
    old, new = audit.changed(before, after)
    audit.record(
        db_session=db_session,
        actor=actor,
        action="agenda_item.update",
        entity_type="agenda_item",
        entity_id=item_id,
        before=old,
        after=new,
    )
    item.updated_at = clock.now()  # after the audit entry, which records what the organiser changed
    db_session.add(item)
    return item


def _values_of(entry: AgendaEntry) -> dict[str, Any]:
    data = input_from_entry(entry)
    return {"representative_ids": sorted(data.representative_ids), "named_speakers": data.named_speakers}


def delete_item(stop_id: int, item_id: int, *, actor: User, db_session: Session) -> None:
    """Take the item out of the agenda; it is kept, with its speakers, so that it can be restored."""
    item = get_item(stop_id, item_id, db_session=db_session)
    before = audit.snapshot(item)
    item.deleted_at = clock.now()
    item.updated_at = clock.now()
    db_session.add(item)
    db_session.flush()
    audit.record(
        db_session=db_session,
        actor=actor,
        action="agenda_item.delete",
        entity_type="agenda_item",
        entity_id=item_id,
        before=before,
    )


def restore_item(stop_id: int, item_id: int, *, actor: User, db_session: Session) -> AgendaItem:
    """Bring a deleted item back with its speakers, unless the agenda has changed around it."""
    item = db_session.get(AgendaItem, item_id)
    if item is None or item.stop_id != stop_id or item.deleted_at is None:
        raise NotFound(lazy("This agenda item does not exist."))
    stop = stops_service.get(stop_id, db_session=db_session)
    item.deleted_at = None
    item.updated_at = clock.now()
    db_session.add(item)
    db_session.flush()
    entries = list_entries(stop_id, db_session=db_session)
    restored = next(entry for entry in entries if entry.item.id == item_id)
    others = [entry.planned() for entry in entries if entry.item.id != item_id]
    invited = invited_representatives(stop_id, db_session=db_session)
    errors = check_item(restored.planned(), others, frame_for(stop, invited))
    if errors:
        raise Conflict(_("The item cannot come back: %s") % " ".join(errors.values()))
    audit.record(
        db_session=db_session,
        actor=actor,
        action="agenda_item.restore",
        entity_type="agenda_item",
        entity_id=item_id,
        after=audit.snapshot(item),
    )
    return item


def _mark_draft_if_new(stop: Stop) -> None:
    if stop.agenda_status == PublicationStatus.NONE:
        stop.agenda_status = PublicationStatus.DRAFT


def set_status(stop_id: int, status: PublicationStatus, *, actor: User, db_session: Session) -> Stop:
    """Publish the agenda (when it has items and no problem) or take it back to draft.

    Speakers still to confirm do not stop the publication: the builder lists them
    (``reading.agenda_warnings``) and the published agenda marks them "to be confirmed"."""
    stop = stops_service.get(stop_id, db_session=db_session)
    if status == PublicationStatus.PUBLISHED:
        if not list_entries(stop_id, db_session=db_session):
            raise Conflict(lazy("Add at least one item before publishing the agenda."))
        found = agenda_problems(stop, db_session=db_session)
        if found:
            raise InvalidInput({"agenda": " ".join(found)})
    before = stop.agenda_status
    stop.agenda_status = status
    db_session.flush()
    audit.record(
        db_session=db_session,
        actor=actor,
        action="agenda.publish" if status == PublicationStatus.PUBLISHED else "agenda.unpublish",
        entity_type="stop",
        entity_id=stop_id,
        before={"agenda_status": before},
        after={"agenda_status": status},
    )
    return stop
