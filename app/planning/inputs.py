"""The planner's inputs: the form's defaults, its validation, and the instance built from them.

The form is kept as the organiser typed it (strings), so that a scenario shows it again as
it was; `parse` turns it into typed inputs or raises InvalidInput with one message per field.
Lists of dates are one per line, a date (YYYY-MM-DD) first and an optional note after it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from app.forms import Problems
from app.i18n import gettext as _
from app.planning.engine.instance import WEEKDAYS

ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
EARLIEST_START, LATEST_END = date(2026, 2, 1), date(2027, 12, 15)
DEFAULT_WEEKDAYS = ("tue", "wed", "thu")
DEFAULT_MIN_GAP, DEFAULT_COUNTRIES_PER_STOP, DEFAULT_TERRITORY_MAX = 14, (2, 4), 2
CHRISTMAS_BREAK = ((12, 22), (1, 6))

Form = dict[str, str]


@dataclass
class PlannerInputs:
    start: date
    end: date
    weekdays: tuple[str, ...]
    blackouts: list[tuple[date, date]]
    min_gap: int
    max_gap: int | None
    countries_per_stop: tuple[int, int]
    new_stops: dict[str, int]
    territory_max: dict[str, int | None] = field(default_factory=dict)
    territory_unavailable: dict[str, list[date]] = field(default_factory=dict)
    country_min: dict[str, int] = field(default_factory=dict)
    country_max: dict[str, int | None] = field(default_factory=dict)
    country_unavailable: dict[str, list[date]] = field(default_factory=dict)

    @property
    def years(self) -> range:
        return range(self.start.year, self.end.year + 1)


def iso_date(text: str) -> date | None:
    if not ISO_DATE.fullmatch(text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def default_window(today: date) -> tuple[date, date]:
    return max(EARLIEST_START, today), LATEST_END


def default_blackouts(start: date, end: date) -> list[str]:
    """August and the Christmas break, for every year the window touches."""
    lines = []
    for year in range(start.year - 1, end.year + 1):
        periods = [
            (date(year, 8, 1), date(year, 8, 31), _("August")),
            (
                date(year, *CHRISTMAS_BREAK[0]),
                date(year + 1, *CHRISTMAS_BREAK[1]),
                _("Christmas break"),
            ),
        ]
        lines += [
            f"{first.isoformat()}..{last.isoformat()} {note}"
            for first, last, note in periods
            if first <= end and last >= start
        ]
    return sorted(lines)


def parse(
    form: Mapping[str, str], *, sectors: list[str], territories: list[str], countries: list[str]
) -> PlannerInputs:
    """Typed inputs from the form, or InvalidInput naming every field that is wrong."""
    reader = _Reader(form)
    start = reader.day("window_start")
    end = reader.day("window_end")
    if start and end and end < start:
        reader.fail("window_end", _("The window must not end before it starts."))
    weekdays = tuple(day for day in WEEKDAYS if day in form.get("weekdays", "").split(","))
    if not weekdays:
        reader.fail("weekdays", _("Allow at least one day of the week."))
    blackouts = reader.periods("blackouts")
    min_gap = reader.integer("min_gap", low=0)
    max_gap = reader.integer("max_gap", low=1, optional=True)
    if min_gap is not None and max_gap is not None and max_gap < min_gap:
        reader.fail("max_gap", _("The maximum must not be below the minimum of %d days.") % min_gap)
    least = reader.integer("countries_min", low=1)
    most = reader.integer("countries_max", low=1)
    if least is not None and most is not None and most < least:
        reader.fail("countries_max", _("The maximum must not be below the minimum of %d.") % least)
    new_stops = {slug: reader.integer(f"sector_stops.{slug}", low=0) or 0 for slug in sectors}
    if not any(new_stops.values()) and not any(f"sector_stops.{slug}" in reader.errors for slug in sectors):
        reader.fail("sector_stops", _("Plan at least one new stop."))
    inputs = PlannerInputs(
        start=start or EARLIEST_START,
        end=end or LATEST_END,
        weekdays=weekdays,
        blackouts=blackouts,
        min_gap=min_gap or 0,
        max_gap=max_gap,
        countries_per_stop=(least or 1, most or 1),
        new_stops=new_stops,
    )
    for code in territories:
        inputs.territory_max[code] = reader.integer(f"territory_max.{code}", low=0, optional=True)
        inputs.territory_unavailable[code] = reader.dates(f"territory_unavailable.{code}")
    for code in countries:
        least_stops = reader.integer(f"country_min.{code}", low=0, optional=True) or 0
        most_stops = reader.integer(f"country_max.{code}", low=0, optional=True)
        if most_stops is not None and most_stops < least_stops:
            reader.fail(
                f"country_max.{code}", _("The maximum must not be below the minimum of %d.") % least_stops
            )
        inputs.country_min[code], inputs.country_max[code] = least_stops, most_stops
        inputs.country_unavailable[code] = reader.dates(f"country_unavailable.{code}")
    reader.errors.check("form")
    return inputs


class _Reader:
    """Reads form fields, recording the first problem of each field instead of raising."""

    def __init__(self, form: Mapping[str, str]) -> None:
        self.form = form
        self.errors = Problems()

    def fail(self, name: str, message: str) -> None:
        self.errors.setdefault(name, message)

    def text(self, name: str) -> str:
        return (self.form.get(name) or "").strip()

    def day(self, name: str) -> date | None:
        value = self.text(name)
        found = iso_date(value)
        if found is None:
            self.fail(name, _("Enter a date as YYYY-MM-DD.") if value else _("Enter a date."))
        return found

    def integer(self, name: str, *, low: int, optional: bool = False) -> int | None:
        value = self.text(name)
        if not value and optional:
            return None
        if re.fullmatch(r"-?\d+", value) and int(value) >= low:
            return int(value)
        self.fail(name, _("Enter a whole number of at least %d.") % low)
        return None

    def dates(self, name: str) -> list[date]:
        found = []
        for number, line in self._lines(name):
            day = iso_date(line.split()[0])
            if day is None:
                self.fail(
                    name,
                    _("Line %(line)d: '%(text)s' is not a date (YYYY-MM-DD).")
                    % {"line": number, "text": line.split()[0]},
                )
            else:
                found.append(day)
        return found

    def periods(self, name: str) -> list[tuple[date, date]]:
        found = []
        for number, line in self._lines(name):
            first_text, _dots, last_text = line.split()[0].partition("..")
            first, last = iso_date(first_text), iso_date(last_text or first_text)
            if first is None or last is None:
                self.fail(
                    name, _("Line %(line)d: write a period as YYYY-MM-DD..YYYY-MM-DD.") % {"line": number}
                )
            elif last < first:
                self.fail(name, _("Line %(line)d: the period ends before it starts.") % {"line": number})
            else:
                found.append((first, last))
        return found

    def _lines(self, name: str) -> list[tuple[int, str]]:
        lines = self.text(name).splitlines()
        return [(number, line.strip()) for number, line in enumerate(lines, start=1) if line.strip()]
