"""A stop's agenda as it is read: items in time order with their speakers, the invited
representatives a speaker can be chosen from, and the frame the checks measure items against.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import exists
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from app.agenda.checks import PlannedItem, StopFrame, hhmm, problems, warnings
from app.agenda.models import AgendaItem, AgendaItemKind, AgendaSpeaker
from app.agenda.schemas import ItemInput, NamedSpeaker
from app.consuls.models import Consulate, Invitation, InvitationStatus, Representative
from app.errors import NotFound
from app.i18n import lazy, ngettext
from app.stops.models import PublicationStatus, Stop
from app.stops.slots import b2b_window
from app.web import localized

# Invitations whose representative no longer comes: not offered as speakers.
GONE = (InvitationStatus.DECLINED, InvitationStatus.DELEGATED)


@dataclass
class InvitedRepresentative:
    representative: Representative
    consulate: Consulate
    invitation: Invitation

    @property
    def confirmed(self) -> bool:
        return self.invitation.status == InvitationStatus.CONFIRMED


@dataclass
class SpeakerView:
    name: str
    affiliation: str
    representative_id: int | None = None
    # Shown as "to be confirmed": a named speaker so marked, or a representative whose
    # invitation to the stop is not confirmed.
    to_confirm: bool = False


@dataclass
class AgendaEntry:
    item: AgendaItem
    speakers: list[SpeakerView] = field(default_factory=list)

    @property
    def consul_unconfirmed(self) -> bool:
        """A country presentation whose consul has not confirmed yet: a draft to follow up."""
        return self.item.kind == AgendaItemKind.COUNTRY_PRESENTATION and any(
            s.representative_id and s.to_confirm for s in self.speakers
        )

    def planned(self) -> PlannedItem:
        return PlannedItem(
            id=self.item.id,
            kind=AgendaItemKind(self.item.kind),
            starts_at=self.item.starts_at,
            ends_at=self.item.ends_at,
            title=localized(self.item, "title"),
            room=self.item.room,
            representative_ids=frozenset(s.representative_id for s in self.speakers if s.representative_id),
            speaker_names=frozenset(s.name.casefold() for s in self.speakers if not s.representative_id),
            pending_names=frozenset(
                s.name for s in self.speakers if not s.representative_id and s.to_confirm
            ),
        )


def invited_representatives(stop_id: int, *, db_session: Session) -> list[InvitedRepresentative]:
    rows = db_session.exec(
        select(Representative, Consulate, Invitation)
        .join(Consulate, col(Consulate.id) == Representative.consulate_id)
        .join(Invitation, col(Invitation.representative_id) == Representative.id)
        .where(Invitation.stop_id == stop_id)
        .where(col(Invitation.status).not_in(GONE))
        .order_by(col(Invitation.country_code), col(Representative.name))
    )
    return [InvitedRepresentative(rep, consulate, invitation) for rep, consulate, invitation in rows]


def frame_for(stop: Stop, invited: list[InvitedRepresentative]) -> StopFrame:
    window = b2b_window(stop)
    description = ""
    if window:
        description = ngettext(
            "%(num)d slot of %(minutes)d minutes", "%(num)d slots of %(minutes)d minutes", stop.b2b_slot_count
        ) % {"num": stop.b2b_slot_count, "minutes": stop.b2b_slot_minutes}
    return StopFrame(
        start_time=stop.start_time,
        end_time=stop.end_time,
        b2b_start=window[0] if window else None,
        b2b_end=window[1] if window else None,
        b2b_description=description,
        representative_names={r.representative.id or 0: r.representative.name for r in invited},
        confirmed_representatives=frozenset(r.representative.id or 0 for r in invited if r.confirmed),
    )


def list_entries(stop_id: int, *, db_session: Session) -> list[AgendaEntry]:
    """The stop's items in time order with their speakers, in one query."""
    # Whether each speaking representative has confirmed for the stop, read in the same query.
    confirmed = (
        exists()
        .where(col(Invitation.stop_id) == stop_id)
        .where(col(Invitation.representative_id) == col(Representative.id))
        .where(col(Invitation.status) == InvitationStatus.CONFIRMED)
        .correlate(Representative)
    )
    rows = db_session.execute(  # five columns: beyond sqlmodel's typed select
        sa_select(AgendaItem, AgendaSpeaker, Representative, Consulate, confirmed.label("confirmed"))
        .outerjoin(AgendaSpeaker, col(AgendaSpeaker.item_id) == col(AgendaItem.id))
        .outerjoin(Representative, col(Representative.id) == col(AgendaSpeaker.representative_id))
        .outerjoin(Consulate, col(Consulate.id) == col(Representative.consulate_id))
        .where(col(AgendaItem.stop_id) == stop_id, col(AgendaItem.deleted_at).is_(None))
        .order_by(
            col(AgendaItem.starts_at), col(AgendaItem.ends_at), col(AgendaItem.id), col(AgendaSpeaker.id)
        )
    )
    items: dict[int, AgendaItem] = {}
    speakers: dict[int, list[SpeakerView]] = defaultdict(list)
    for item, speaker, rep, consulate, rep_confirmed in rows:
        items.setdefault(item.id or 0, item)
        if speaker is None:
            continue
        if rep is not None and consulate is not None:
            affiliation = ", ".join(part for part in (rep.title, localized(consulate, "name")) if part)
            view = SpeakerView(rep.name, affiliation, rep.id, to_confirm=not rep_confirmed)
        else:
            view = SpeakerView(speaker.name, speaker.affiliation, to_confirm=speaker.to_confirm)
        speakers[speaker.item_id].append(view)
    return [AgendaEntry(item, speakers[item_id]) for item_id, item in items.items()]


def public_entries(stop: Stop, *, db_session: Session) -> list[AgendaEntry]:
    """The agenda visitors see: only once it is published."""
    if stop.agenda_status != PublicationStatus.PUBLISHED or stop.id is None:
        return []
    return list_entries(stop.id, db_session=db_session)


def get_item(stop_id: int, item_id: int, *, db_session: Session) -> AgendaItem:
    item = db_session.get(AgendaItem, item_id)
    if item is None or item.stop_id != stop_id or item.deleted_at is not None:
        raise NotFound(lazy("This agenda item does not exist."))
    return item


def input_from_entry(entry: AgendaEntry) -> ItemInput:
    item = entry.item
    return ItemInput(
        kind=str(item.kind),
        starts_at=hhmm(item.starts_at),
        ends_at=hhmm(item.ends_at),
        title_it=item.title_it,
        title_en=item.title_en,
        description_it=item.description_it,
        description_en=item.description_en,
        room=item.room,
        representative_ids=[s.representative_id for s in entry.speakers if s.representative_id],
        named_speakers=[
            NamedSpeaker(s.name, s.affiliation, s.to_confirm)
            for s in entry.speakers
            if not s.representative_id
        ],
    )


def agenda_problems(stop: Stop, *, db_session: Session) -> list[str]:
    """Every problem of the stop's agenda as a sentence naming the item."""
    invited = invited_representatives(stop.id or 0, db_session=db_session)
    entries = list_entries(stop.id or 0, db_session=db_session)
    frame = frame_for(stop, invited)
    return [
        f"{hhmm(item.starts_at)} {item.title}: {message}"
        for item, message in problems([entry.planned() for entry in entries], frame)
    ]


def agenda_warnings(stop: Stop, *, db_session: Session) -> list[str]:
    """Every speaker of the stop's agenda still to confirm, as a sentence naming the item."""
    invited = invited_representatives(stop.id or 0, db_session=db_session)
    entries = list_entries(stop.id or 0, db_session=db_session)
    frame = frame_for(stop, invited)
    return [
        f"{hhmm(item.starts_at)} {item.title}: {message}"
        for item, message in warnings([entry.planned() for entry in entries], frame)
    ]
