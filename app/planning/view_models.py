"""What the planner page shows: the proposal as rows and as month grids, reasons in the reader's words."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.i18n import babel_locale
from app.i18n import gettext as _
from app.planning.engine.instance import load_instance
from app.planning.engine.reasons import NoteKind, PassedOver, StopNote, stop_notes
from app.planning.inputs import iso_date
from app.planning.models import PlanningScenario
from app.planning.service import HOLD_CHANGED, HOLD_PINNED, stop_key
from app.planning.sources import Reference
from app.reference.models import Country, Sector, Territory
from app.web import localized

PUBLISHED, PINNED, CHANGED, PROPOSED = "published", HOLD_PINNED, HOLD_CHANGED, "proposed"


@dataclass
class StopRow:
    key: str
    anchor: str
    day: date
    sector: Sector
    territory: Territory
    countries: list[Country]
    score: int
    reasons: list[str]
    status: str


@dataclass
class Day:
    day: date | None
    stops: list[StopRow] = field(default_factory=list)
    closed: bool = False


@dataclass
class Month:
    first: date
    weeks: list[list[Day]]


def proposal_rows(scenario: PlanningScenario, reference: Reference) -> list[StopRow]:
    if not scenario.result or not scenario.instance:
        return []
    instance = load_instance(scenario.instance)
    sectors = {s.slug: s for s in reference.sectors}
    territories = {t.code: t for t in reference.territories}
    countries = {c.code: c for c in reference.countries}
    held = {stop_key(stop): stop["how"] for stop in scenario.held}
    plan = scenario.result["stops"]
    fixed_keys = {stop_key(stop) for stop in scenario.instance.get("fixed", [])}
    rows = []
    for number, stop in enumerate(plan, start=1):
        key = stop_key(stop)
        status = held.get(key) or (PUBLISHED if key in fixed_keys else PROPOSED)
        sector = sectors[stop["sector"]]
        notes = stop_notes(instance, stop, plan)
        day = iso_date(stop["date"])
        assert day is not None
        rows.append(
            StopRow(
                key=key,
                anchor=f"stop-{number}",
                day=day,
                sector=sector,
                territory=territories[stop["territory"]],
                countries=[countries[code] for code in stop["countries"] if code in countries],
                score=int(stop["score"]),
                reasons=[_say(note, status, sector, territories, countries) for note in notes],
                status=status,
            )
        )
    return rows


def weekday_names() -> list[tuple[str, str]]:
    """(full, abbreviated) names of the days of the week, Monday first, in the reader's language."""
    days = babel_locale().days["format"]
    return [(str(days["wide"][n]), str(days["abbreviated"][n])) for n in range(7)]


def months(rows: list[StopRow], instance: dict[str, Any]) -> list[Month]:
    """Month grids (Monday first) from the first stop's month to the last's; closed days marked."""
    if not rows:
        return []
    closed = {iso_date(text) for text in instance.get("closed_dates", [])}
    blackouts = [(iso_date(b["start"]), iso_date(b["end"])) for b in instance.get("blackouts", [])]
    by_day: dict[date, list[StopRow]] = {}
    for row in rows:
        by_day.setdefault(row.day, []).append(row)
    first, last = min(by_day), max(by_day)
    grids, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        weeks = []
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
            cells = []
            for day in week:
                if day.month != month:
                    cells.append(Day(None))
                    continue
                shut = day in closed or any(a and b and a <= day <= b for a, b in blackouts)
                cells.append(Day(day, by_day.get(day, []), shut))
            weeks.append(cells)
        grids.append(Month(date(year, month, 1), weeks))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return grids


def _say(
    note: StopNote,
    status: str,
    sector: Sector,
    territories: dict[str, Territory],
    countries: dict[str, Country],
) -> str:
    def country(code: str) -> str:
        return localized(countries[code], "name") if code in countries else code

    values = {"sector": localized(sector, "name"), "score": note.score}
    if note.kind is NoteKind.FIXED:
        return {
            PUBLISHED: _("Already published: kept as it is."),
            PINNED: _("Pinned by you: kept as proposed."),
            CHANGED: _("Changed by you: kept as you set it."),
        }.get(status, _("Fixed: kept as given."))
    if note.kind is NoteKind.TERRITORY:
        name = territories[note.subject].name if note.subject in territories else note.subject
        return _("%(territory)s: affinity %(score)d of 5 for %(sector)s.") % {**values, "territory": name}
    if note.kind is NoteKind.COUNTRY:
        text = _("%(country)s: survey interest %(score)d of 5 for %(sector)s.") % {
            **values,
            "country": country(note.subject),
        }
        if note.featured_at_minimum is not None:
            text += " " + _("Featured at %(count)d stops, its minimum.") % {"count": note.featured_at_minimum}
        return text
    why = {
        PassedOver.UNAVAILABLE: _("%(country)s (interest %(score)d) is not featured: unavailable that day."),
        PassedOver.AT_MAXIMUM: _(
            "%(country)s (interest %(score)d) is not featured: already at its maximum of %(limit)s stops."
        ),
        PassedOver.BETTER_ELSEWHERE: _(
            "%(country)s (interest %(score)d) is not featured: it did more for the plan at other stops."
        ),
    }[note.passed_over or PassedOver.BETTER_ELSEWHERE]
    return why % {**values, "country": country(note.subject), "limit": note.limit}
