"""The checks an agenda item must pass: pure functions over plain values, no database.

Each check answers with messages keyed by the form field they concern, so that the page can
show them next to that field; ``problems`` runs them over a whole agenda before publishing.
Speakers still to confirm (a representative whose invitation is not confirmed, a named speaker
marked so) are not problems: ``warnings`` lists them, and publishing goes ahead.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from app.agenda.models import AgendaItemKind
from app.forms import Problems
from app.i18n import gettext as _


@dataclass(frozen=True)
class PlannedItem:
    """An item as the checks see it: times, room and who speaks."""

    id: int | None
    kind: AgendaItemKind
    starts_at: time
    ends_at: time
    title: str
    room: str = ""
    representative_ids: frozenset[int] = frozenset()
    speaker_names: frozenset[str] = frozenset()
    pending_names: frozenset[str] = frozenset()  # named speakers still to confirm, as written

    def overlaps(self, other: "PlannedItem") -> bool:
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


@dataclass(frozen=True)
class StopFrame:
    """What of the stop the checks need: its hours, its B2B block, its representatives."""

    start_time: time
    end_time: time
    b2b_start: time | None = None
    b2b_end: time | None = None
    b2b_description: str = ""
    representative_names: dict[int, str] = field(default_factory=dict)
    confirmed_representatives: frozenset[int] = frozenset()


def add_minutes(moment: time, minutes: int) -> time:
    return (datetime.combine(date.min, moment) + timedelta(minutes=minutes)).time()


def hhmm(moment: time) -> str:
    return moment.strftime("%H:%M")


def check_item(item: PlannedItem, others: list[PlannedItem], frame: StopFrame) -> Problems:
    """Messages per field for ``item`` placed among ``others`` (the rest of the agenda)."""
    errors = Problems()
    if item.ends_at <= item.starts_at:
        errors.add("ends_at", _("The end must come after the start."))
        return errors
    if item.starts_at < frame.start_time:
        errors.add("starts_at", _("The stop opens at %s: start no earlier.") % hhmm(frame.start_time))
    if item.ends_at > frame.end_time:
        errors.add("ends_at", _("The stop closes at %s: end no later.") % hhmm(frame.end_time))
    _check_b2b(item, frame, errors)
    for other in others:
        if (other.id is not None and other.id == item.id) or not item.overlaps(other):
            continue
        when = f"{hhmm(other.starts_at)}–{hhmm(other.ends_at)}"
        if item.room and other.room.strip().casefold() == item.room.strip().casefold():
            errors.add(
                "room",
                _("Overlaps with “%(title)s” (%(when)s) in the same room.")
                % {"title": other.title, "when": when},
            )
        busy = [
            frame.representative_names.get(r, str(r))
            for r in item.representative_ids & other.representative_ids
        ]
        busy += sorted(item.speaker_names & other.speaker_names)
        for name in busy:
            errors.add(
                "speakers",
                _("%(name)s already speaks at “%(title)s” (%(when)s).")
                % {"name": name, "title": other.title, "when": when},
            )
    return errors


def pending_speakers(item: PlannedItem, frame: StopFrame) -> list[str]:
    """Who of ``item``'s speakers is still to confirm, as sentences: not a problem, since a
    programme is drafted before everyone has said yes, but a warning when it is published."""
    found = []
    for rep_id in sorted(item.representative_ids - frame.confirmed_representatives):
        name = frame.representative_names.get(rep_id, str(rep_id))
        if item.kind == AgendaItemKind.COUNTRY_PRESENTATION:
            found.append(_("%s: consul not yet confirmed.") % name)
        else:
            found.append(_("%s: to be confirmed.") % name)
    found += [_("%s: to be confirmed.") % name for name in sorted(item.pending_names)]
    return found


def _check_b2b(item: PlannedItem, frame: StopFrame, errors: Problems) -> None:
    if item.kind != AgendaItemKind.B2B_BLOCK:
        return
    if frame.b2b_start is None or frame.b2b_end is None:
        errors.add("kind", _("This stop has no B2B meeting slots yet: set them on the stop first."))
        return
    if item.starts_at != frame.b2b_start:
        errors.add(
            "starts_at",
            _("The B2B meetings start at %(time)s (%(slots)s).")
            % {"time": hhmm(frame.b2b_start), "slots": frame.b2b_description},
        )
    if item.ends_at != frame.b2b_end:
        errors.add(
            "ends_at",
            _("The B2B meetings end at %(time)s (%(slots)s).")
            % {"time": hhmm(frame.b2b_end), "slots": frame.b2b_description},
        )


def problems(items: list[PlannedItem], frame: StopFrame) -> list[tuple[PlannedItem, str]]:
    """Every problem of a whole agenda, item by item, in time order."""
    found = []
    for item in sorted(items, key=lambda i: (i.starts_at, i.ends_at)):
        others = [other for other in items if other is not item]
        for message in check_item(item, others, frame).values():
            found.append((item, message))
    return found


def warnings(items: list[PlannedItem], frame: StopFrame) -> list[tuple[PlannedItem, str]]:
    """Every speaker still to confirm in a whole agenda, item by item, in time order."""
    return [
        (item, message)
        for item in sorted(items, key=lambda i: (i.starts_at, i.ends_at))
        for message in pending_speakers(item, frame)
    ]
