"""The `roadshow.plan/1` instance: parsed from decoded JSON into typed, validated data.

Validation collects every problem before giving up, so that whoever wrote the instance
can fix them all in one pass; each problem names its field path and index.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from app.planning.engine.fields import Problems

FORMAT = "roadshow.plan/1"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class InvalidInstance(Exception):
    """The instance cannot be planned as written; `problems` lists every fault found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Sector:
    id: str
    stops: int


@dataclass(frozen=True)
class Territory:
    id: str
    max_stops: int | None
    affinity: Mapping[str, int]
    unavailable: frozenset[date]


@dataclass(frozen=True)
class Country:
    id: str
    min_stops: int
    max_stops: int | None
    unavailable: frozenset[date]


@dataclass(frozen=True)
class FixedStop:
    sector: str
    territory: str
    date: date
    countries: tuple[str, ...] | None


@dataclass(frozen=True)
class PlanInstance:
    start: date
    end: date
    weekdays: frozenset[int]
    closed_dates: frozenset[date]
    blackouts: tuple[tuple[date, date], ...]
    min_days_between_stops: int
    max_days_between_stops: int | None
    countries_per_stop: tuple[int, int]
    sectors: tuple[Sector, ...]
    territories: tuple[Territory, ...]
    countries: tuple[Country, ...]
    interest: Mapping[str, Mapping[str, int]]
    fixed: tuple[FixedStop, ...] = field(default=())

    @property
    def total_stops(self) -> int:
        return sum(sector.stops for sector in self.sectors)

    def affinity(self, territory: str, sector: str) -> int:
        return self._territories[territory].affinity.get(sector, 0)

    def interest_of(self, sector: str, country: str) -> int:
        return self.interest.get(sector, {}).get(country, 0)

    def territory(self, territory_id: str) -> Territory:
        return self._territories[territory_id]

    def country(self, country_id: str) -> Country:
        return self._countries[country_id]

    # cached_property writes straight to __dict__, so it works on a frozen dataclass.
    @cached_property
    def _territories(self) -> dict[str, Territory]:
        return {territory.id: territory for territory in self.territories}

    @cached_property
    def _countries(self) -> dict[str, Country]:
        return {country.id: country for country in self.countries}


def load_instance(data: object) -> PlanInstance:
    """Parse a decoded `roadshow.plan/1` object; raise InvalidInstance listing every problem."""
    problems = Problems()
    if not isinstance(data, dict):
        raise InvalidInstance(["instance: expected a JSON object"])
    if data.get("format") != FORMAT:
        problems.add("format", f"expected '{FORMAT}', got {data.get('format')!r}")
    start = problems.iso_date(data.get("start"), "start", required=True)
    end = problems.iso_date(data.get("end"), "end", required=True)
    if start and end and start > end:
        problems.add("end", f"must not be before start {start.isoformat()}")
    weekdays = _weekdays(data, problems)
    closed = frozenset(problems.iso_dates(data.get("closed_dates", []), "closed_dates"))
    blackouts = _blackouts(data.get("blackouts", []), problems)
    min_gap = problems.integer(data.get("min_days_between_stops", 0), "min_days_between_stops", low=0)
    max_gap = None
    if data.get("max_days_between_stops") is not None:
        max_gap = problems.integer(data["max_days_between_stops"], "max_days_between_stops", low=1)
        if max_gap is not None and min_gap is not None and max_gap < min_gap:
            problems.add("max_days_between_stops", "must not be below min_days_between_stops")
    per_stop = _countries_per_stop(data.get("countries_per_stop"), problems)
    sectors = _sectors(data.get("sectors"), problems)
    sector_ids = {sector.id for sector in sectors}
    territories = _territories(data.get("territories"), sector_ids, problems)
    countries = _countries(data.get("countries"), problems)
    interest = _interest(data.get("interest", {}), sector_ids, problems)
    fixed = _fixed(
        data.get("fixed", []),
        sector_ids,
        {territory.id for territory in territories},
        {country.id for country in countries},
        problems,
    )
    if problems or start is None or end is None or min_gap is None or per_stop is None:
        raise InvalidInstance(problems.messages or ["instance: invalid"])
    return PlanInstance(
        start=start,
        end=end,
        weekdays=weekdays,
        closed_dates=closed,
        blackouts=blackouts,
        min_days_between_stops=min_gap,
        max_days_between_stops=max_gap,
        countries_per_stop=per_stop,
        sectors=sectors,
        territories=territories,
        countries=countries,
        interest=interest,
        fixed=fixed,
    )


def _weekdays(data: dict[str, object], problems: Problems) -> frozenset[int]:
    names = problems.list_of(data.get("weekdays", list(WEEKDAYS[:5])), "weekdays")
    days = set()
    for index, name in enumerate(names):
        if name in WEEKDAYS:
            days.add(WEEKDAYS.index(str(name)))
        else:
            problems.add(f"weekdays[{index}]", f"unknown weekday {name!r}")
    if not names and "weekdays" in data:
        problems.add("weekdays", "must allow at least one day of the week")
    return frozenset(days)


def _blackouts(value: object, problems: Problems) -> tuple[tuple[date, date], ...]:
    periods = []
    for index, item in enumerate(problems.list_of(value, "blackouts")):
        path = f"blackouts[{index}]"
        if not problems.is_object(item, path):
            continue
        first = problems.iso_date(item.get("start"), f"{path}.start", required=True)
        last = problems.iso_date(item.get("end"), f"{path}.end", required=True)
        if first and last:
            if first > last:
                problems.add(f"{path}.end", "must not be before its start")
            periods.append((first, last))
    return tuple(periods)


def _countries_per_stop(value: object, problems: Problems) -> tuple[int, int] | None:
    if (
        isinstance(value, list)
        and len(value) == 2
        and all(type(bound) is int for bound in value)
        and 1 <= value[0] <= value[1]
    ):
        return (value[0], value[1])
    problems.add("countries_per_stop", "expected [min, max] with 1 <= min <= max")
    return None


def _sectors(value: object, problems: Problems) -> tuple[Sector, ...]:
    sectors = []
    for index, item, sector_id in problems.identified_items(value, "sectors", required=True):
        stops = problems.integer(item.get("stops"), f"sectors[{index}].stops", low=0, required=True)
        if stops is not None:
            sectors.append(Sector(sector_id, stops))
    return tuple(sectors)


def _territories(value: object, sector_ids: set[str], problems: Problems) -> tuple[Territory, ...]:
    territories = []
    for index, item, territory_id in problems.identified_items(value, "territories", required=True):
        path = f"territories[{index}]"
        max_stops = None
        if item.get("max_stops") is not None:
            max_stops = problems.integer(item["max_stops"], f"{path}.max_stops", low=0)
        affinity = problems.scores(item.get("affinity", {}), f"{path}.affinity", sector_ids, "sector")
        unavailable = frozenset(problems.iso_dates(item.get("unavailable", []), f"{path}.unavailable"))
        territories.append(Territory(territory_id, max_stops, affinity, unavailable))
    return tuple(territories)


def _countries(value: object, problems: Problems) -> tuple[Country, ...]:
    countries = []
    for index, item, country_id in problems.identified_items(value, "countries", required=True):
        path = f"countries[{index}]"
        min_stops = problems.integer(item.get("min_stops", 0), f"{path}.min_stops", low=0)
        max_stops = None
        if item.get("max_stops") is not None:
            max_stops = problems.integer(item["max_stops"], f"{path}.max_stops", low=0)
        if min_stops is not None and max_stops is not None and min_stops > max_stops:
            problems.add(f"{path}.min_stops", "must not exceed max_stops")
        unavailable = frozenset(problems.iso_dates(item.get("unavailable", []), f"{path}.unavailable"))
        countries.append(Country(country_id, min_stops or 0, max_stops, unavailable))
    return tuple(countries)


def _interest(value: object, sector_ids: set[str], problems: Problems) -> dict[str, dict[str, int]]:
    if not isinstance(value, dict):
        problems.add("interest", "expected an object of sectors")
        return {}
    interest = {}
    for sector_id, by_country in value.items():
        if sector_id not in sector_ids:
            problems.add(f"interest.{sector_id}", f"unknown sector {sector_id!r}")
            continue
        # Surveys may rate countries this roadshow does not feature; they simply never count.
        interest[sector_id] = problems.scores(by_country, f"interest.{sector_id}", None, "country")
    return interest


def _fixed(
    value: object,
    sector_ids: set[str],
    territory_ids: set[str],
    country_ids: set[str],
    problems: Problems,
) -> tuple[FixedStop, ...]:
    stops = []
    for index, item in enumerate(problems.list_of(value, "fixed")):
        path = f"fixed[{index}]"
        if not problems.is_object(item, path):
            continue
        sector = problems.known(item.get("sector"), f"{path}.sector", sector_ids, "sector")
        territory = problems.known(item.get("territory"), f"{path}.territory", territory_ids, "territory")
        when = problems.iso_date(item.get("date"), f"{path}.date", required=True)
        countries = None
        if item.get("countries") is not None:
            listed = problems.list_of(item["countries"], f"{path}.countries")
            chosen = [
                problems.known(code, f"{path}.countries[{n}]", country_ids, "country")
                for n, code in enumerate(listed)
            ]
            if len(set(map(str, listed))) != len(listed):
                problems.add(f"{path}.countries", "lists a country twice")
            countries = tuple(code for code in chosen if code is not None)
        if sector and territory and when:
            stops.append(FixedStop(sector, territory, when, countries))
    return tuple(stops)
