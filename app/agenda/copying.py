"""Starting an agenda from another stop's or from the typical day of the roadshow."""

from dataclasses import dataclass, field
from datetime import time

from sqlmodel import Session, col, select

from app.accounts.models import User
from app.agenda.checks import add_minutes
from app.agenda.models import AgendaItem, AgendaItemKind, AgendaSpeaker
from app.agenda.reading import invited_representatives, list_entries
from app.audit import service as audit
from app.errors import InvalidInput
from app.i18n import gettext as _
from app.reference.models import Country
from app.stops import service as stops_service
from app.stops.models import PublicationStatus, Stop, StopCountry
from app.stops.slots import b2b_window

PLENARY = "Sala plenaria"
LUNCH_MINUTES = 60


@dataclass
class Draft:
    kind: AgendaItemKind
    starts_at: time
    ends_at: time
    title_it: str
    title_en: str
    room: str = PLENARY
    description_it: str = ""
    description_en: str = ""
    representative_ids: list[int] = field(default_factory=list)
    named: list[tuple[str, str]] = field(default_factory=list)


def typical_day(stop: Stop, *, db_session: Session) -> list[Draft]:
    """Welcome, keynote, one presentation per prospect country, panel, lunch, B2B block, closing."""
    confirmed: dict[str, int] = {}
    for invited in invited_representatives(stop.id or 0, db_session=db_session):
        if invited.confirmed:
            confirmed.setdefault(invited.invitation.country_code, invited.representative.id or 0)
    countries = db_session.exec(
        select(Country)
        .join(StopCountry, col(StopCountry.country_code) == Country.code)
        .where(StopCountry.stop_id == stop.id)
        .order_by(col(StopCountry.position))
    ).all()
    cursor = stop.start_time
    drafts: list[Draft] = []

    def add(kind: AgendaItemKind, minutes: int, title_it: str, title_en: str, **extra: object) -> None:
        nonlocal cursor
        end = add_minutes(cursor, minutes)
        drafts.append(Draft(kind, cursor, end, title_it, title_en, **extra))  # type: ignore[arg-type]
        cursor = end

    add(AgendaItemKind.WELCOME, 15, "Benvenuto e saluti istituzionali", "Welcome and institutional greetings")
    add(AgendaItemKind.KEYNOTE, 30, "Intervento di apertura", "Keynote")
    for country in countries:
        rep_id = confirmed.get(country.code)
        add(
            AgendaItemKind.COUNTRY_PRESENTATION,
            20,
            f"Presentazione Paese: {country.name_it}",
            f"Country presentation: {country.name_en}",
            representative_ids=[rep_id] if rep_id else [],
        )
    window = b2b_window(stop)
    # Lunch leads into the B2B block when there is room: a panel fills up to an hour before it.
    lunch_start = add_minutes(window[0], -LUNCH_MINUTES) if window else cursor
    if lunch_start > cursor:
        panel_end = min(lunch_start, add_minutes(cursor, 60))
        gap = (panel_end.hour * 60 + panel_end.minute) - (cursor.hour * 60 + cursor.minute)
        if gap >= 30:
            add(AgendaItemKind.PANEL, gap, "Tavola rotonda", "Panel discussion")
        cursor = lunch_start
    add(
        AgendaItemKind.NETWORKING_LUNCH,
        LUNCH_MINUTES,
        "Pranzo di networking",
        "Networking lunch",
        room="Foyer",
    )
    if window is not None:
        drafts.append(
            Draft(
                AgendaItemKind.B2B_BLOCK,
                window[0],
                window[1],
                "Incontri B2B",
                "B2B meetings",
                room="Area B2B",
            )
        )
        cursor = max(cursor, window[1])
    add(AgendaItemKind.CLOSING, 15, "Conclusioni", "Closing remarks")
    return drafts


def _drafts_from_stop(source_id: int, target: Stop, *, db_session: Session) -> list[Draft]:
    welcome_here = {
        r.representative.id for r in invited_representatives(target.id or 0, db_session=db_session)
    }
    drafts = []
    for entry in list_entries(source_id, db_session=db_session):
        item = entry.item
        drafts.append(
            Draft(
                AgendaItemKind(item.kind),
                item.starts_at,
                item.ends_at,
                item.title_it,
                item.title_en,
                room=item.room,
                description_it=item.description_it,
                description_en=item.description_en,
                # A representative comes along only if they are invited here too.
                representative_ids=[
                    s.representative_id
                    for s in entry.speakers
                    if s.representative_id is not None and s.representative_id in welcome_here
                ],
                named=[(s.name, s.affiliation) for s in entry.speakers if not s.representative_id],
            )
        )
    return drafts


def _replace_items(stop: Stop, drafts: list[Draft], *, db_session: Session) -> int:
    old_items = db_session.exec(select(AgendaItem).where(AgendaItem.stop_id == stop.id)).all()
    old_ids = [item.id for item in old_items]
    if old_ids:
        for speaker in db_session.exec(select(AgendaSpeaker).where(col(AgendaSpeaker.item_id).in_(old_ids))):
            db_session.delete(speaker)
        db_session.flush()
        for item in old_items:
            db_session.delete(item)
        db_session.flush()
    for draft in drafts:
        item = AgendaItem(
            stop_id=stop.id or 0,
            kind=draft.kind,
            starts_at=draft.starts_at,
            ends_at=draft.ends_at,
            title_it=draft.title_it,
            title_en=draft.title_en,
            description_it=draft.description_it,
            description_en=draft.description_en,
            room=draft.room,
        )
        db_session.add(item)
        db_session.flush()
        for rep_id in draft.representative_ids:
            db_session.add(AgendaSpeaker(item_id=item.id or 0, representative_id=rep_id))
        for name, affiliation in draft.named:
            db_session.add(AgendaSpeaker(item_id=item.id or 0, name=name, affiliation=affiliation))
    # A copied agenda is a new draft: it is checked again before it goes public.
    stop.agenda_status = PublicationStatus.DRAFT
    db_session.flush()
    return len(old_ids)


def copy_agenda(stop_id: int, source: str, *, actor: User, db_session: Session) -> int:
    """Replace the stop's items with the typical day (``source="template"``) or another stop's."""
    stop = stops_service.get(stop_id, db_session=db_session)
    if source == "template":
        drafts = typical_day(stop, db_session=db_session)
    else:
        source_id = int(source) if source.isdigit() else 0
        if source_id == stop_id or db_session.get(Stop, source_id) is None:
            raise InvalidInput({"source": _("Choose another stop or the typical day.")})
        drafts = _drafts_from_stop(source_id, stop, db_session=db_session)
        if not drafts:
            raise InvalidInput({"source": _("That stop has no agenda to copy.")})
    removed = _replace_items(stop, drafts, db_session=db_session)
    audit.record(
        db_session=db_session,
        actor=actor,
        action="agenda.copy",
        entity_type="stop",
        entity_id=stop_id,
        after={"source": source, "items": len(drafts), "replaced": removed},
    )
    return len(drafts)
