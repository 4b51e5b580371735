"""What the planner takes from the database and the `holidays` package, and the instance built on it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from typing import Any

import holidays
from sqlmodel import Session, col, select

from app.planning.engine.instance import FORMAT
from app.planning.inputs import (
    DEFAULT_COUNTRIES_PER_STOP,
    DEFAULT_MIN_GAP,
    DEFAULT_TERRITORY_MAX,
    DEFAULT_WEEKDAYS,
    Form,
    PlannerInputs,
    default_blackouts,
    default_window,
)
from app.reference import service as reference_service
from app.reference.models import Country, Sector, Territory, TerritorySector
from app.stops.models import Stop, StopCountry, StopStatus

# Stops already announced: the plan is built around them.
FIXED_STATUSES = (StopStatus.PUBLISHED, StopStatus.CLOSED)


@dataclass
class Reference:
    sectors: list[Sector]
    territories: list[Territory]
    countries: list[Country]
    affinity: dict[str, dict[str, int]]
    interest: dict[str, dict[str, int]]

    @property
    def codes(self) -> dict[str, list[str]]:
        return {
            "sectors": [s.slug for s in self.sectors],
            "territories": [t.code for t in self.territories],
            "countries": [c.code for c in self.countries],
        }


def load_reference(*, db_session: Session) -> Reference:
    affinity: dict[str, dict[str, int]] = {}
    for row in db_session.exec(select(TerritorySector)):
        affinity.setdefault(row.territory_code, {})[row.sector_slug] = row.affinity
    return Reference(
        sectors=reference_service.get_all_sectors(db_session=db_session),
        territories=reference_service.get_all_territories(db_session=db_session),
        countries=reference_service.get_all_countries(db_session=db_session),
        affinity=affinity,
        interest=reference_service.get_interest(db_session=db_session),
    )


def existing_stops(start: date, end: date, *, db_session: Session) -> list[dict[str, Any]]:
    """Published and closed stops in the window, as `fixed` stops of an instance."""
    stops = db_session.exec(
        select(Stop)
        .where(col(Stop.status).in_(FIXED_STATUSES))
        .where(col(Stop.stop_date) >= start, col(Stop.stop_date) <= end)
        .order_by(col(Stop.stop_date))
    ).all()
    countries: dict[int, list[str]] = {}
    links = db_session.exec(
        select(StopCountry)
        .where(col(StopCountry.stop_id).in_([stop.id for stop in stops]))
        .order_by(col(StopCountry.position))
    )
    for link in links:
        countries.setdefault(link.stop_id, []).append(link.country_code)
    return [
        {
            "sector": stop.sector_slug,
            "territory": stop.territory_code,
            "date": stop.stop_date.isoformat(),
            "countries": countries.get(stop.id or 0, []),
        }
        for stop in stops
    ]


def italian_holidays(years: range) -> dict[date, str]:
    return dict(holidays.country_holidays("IT", years=list(years), language="it_IT"))


def patron_days(territory: Territory, years: range) -> dict[date, str]:
    """The province's patron saint's day: from `holidays` where it knows the province, else the DB."""
    national = holidays.country_holidays("IT", years=list(years))
    try:
        local = dict(
            holidays.country_holidays("IT", subdiv=territory.code, years=list(years), language="it_IT")
        )
    except (NotImplementedError, KeyError):
        local = {}
    found: dict[date, str] = {day: name for day, name in local.items() if day not in national}
    if found or not territory.patron_saint_day:
        return found
    month, day = (int(part) for part in territory.patron_saint_day.split("-"))
    name = territory.patron_saint_name or ""
    for year in years:
        try:
            found[date(year, month, day)] = name
        except ValueError:  # 29 February outside a leap year
            continue
    return found


def country_holidays(code: str, years: range) -> dict[date, str]:
    try:
        return dict(holidays.country_holidays(code, years=list(years), language="en_US"))
    except (NotImplementedError, KeyError):
        return {}


def default_form(reference: Reference, today: date, *, db_session: Session) -> Form:
    start, end = default_window(today)
    years = range(start.year, end.year + 1)
    featured_on = {
        (code, stop["date"])
        for stop in existing_stops(start, end, db_session=db_session)
        for code in stop["countries"]
    }
    form: Form = {
        "window_start": start.isoformat(),
        "window_end": end.isoformat(),
        "weekdays": ",".join(DEFAULT_WEEKDAYS),
        "blackouts": "\n".join(default_blackouts(start, end)),
        "min_gap": str(DEFAULT_MIN_GAP),
        "max_gap": "",
        "countries_min": str(DEFAULT_COUNTRIES_PER_STOP[0]),
        "countries_max": str(DEFAULT_COUNTRIES_PER_STOP[1]),
    }
    for sector in reference.sectors:
        form[f"sector_stops.{sector.slug}"] = "1"
    for territory in reference.territories:
        form[f"territory_max.{territory.code}"] = str(DEFAULT_TERRITORY_MAX)
        form[f"territory_unavailable.{territory.code}"] = ""
    for country in reference.countries:
        form[f"country_min.{country.code}"] = "0"
        form[f"country_max.{country.code}"] = ""
        # A consul already announced at a published stop has agreed to that day, holiday or not.
        days = {
            day: name
            for day, name in country_holidays(country.code, years).items()
            if start <= day <= end and (country.code, day.isoformat()) not in featured_on
        }
        form[f"country_unavailable.{country.code}"] = "\n".join(
            f"{day.isoformat()} {name}" for day, name in sorted(days.items())
        )
    return form


def build_instance(
    inputs: PlannerInputs,
    reference: Reference,
    existing: list[dict[str, Any]],
    held: list[dict[str, Any]],
) -> dict[str, Any]:
    """The `roadshow.plan/1` instance: published stops and the organiser's held stops are fixed."""
    fixed = [
        *existing,
        *({key: stop[key] for key in ("sector", "territory", "date", "countries")} for stop in held),
    ]
    published_per_sector = Counter(stop["sector"] for stop in existing)

    def in_window(day: date) -> bool:
        return inputs.start <= day <= inputs.end

    closed = sorted(day.isoformat() for day in italian_holidays(inputs.years) if in_window(day))
    featured = {country for stop in fixed for country in stop["countries"]}
    countries = list(reference.countries)
    territories = []
    for territory in reference.territories:
        unavailable = set(inputs.territory_unavailable.get(territory.code, []))
        unavailable |= {day for day in patron_days(territory, inputs.years) if in_window(day)}
        entry: dict[str, Any] = {
            "id": territory.code,
            "affinity": reference.affinity.get(territory.code, {}),
            "unavailable": sorted(day.isoformat() for day in unavailable),
        }
        if (limit := inputs.territory_max.get(territory.code)) is not None:
            entry["max_stops"] = limit
        territories.append(entry)
    country_entries = []
    for country in countries:
        entry = {
            "id": country.code,
            "min_stops": inputs.country_min.get(country.code, 0),
            "unavailable": sorted(
                {day.isoformat() for day in inputs.country_unavailable.get(country.code, [])}
            ),
        }
        if (limit := inputs.country_max.get(country.code)) is not None:
            entry["max_stops"] = limit
        country_entries.append(entry)
    known = {country.code for country in countries}
    # A published stop may feature a country no longer among the prospects; it still counts.
    country_entries += [{"id": code, "min_stops": 0} for code in sorted(featured - known)]
    instance: dict[str, Any] = {
        "format": FORMAT,
        "start": inputs.start.isoformat(),
        "end": inputs.end.isoformat(),
        "weekdays": list(inputs.weekdays),
        "closed_dates": closed,
        "blackouts": [{"start": a.isoformat(), "end": b.isoformat()} for a, b in inputs.blackouts],
        "min_days_between_stops": inputs.min_gap,
        "countries_per_stop": list(inputs.countries_per_stop),
        "sectors": [
            {
                "id": sector.slug,
                "stops": published_per_sector[sector.slug] + inputs.new_stops.get(sector.slug, 0),
            }
            for sector in reference.sectors
        ],
        "territories": territories,
        "countries": country_entries,
        "interest": {slug: reference.interest.get(slug, {}) for slug in reference.codes["sectors"]},
        "fixed": fixed,
    }
    if inputs.max_gap is not None:
        instance["max_days_between_stops"] = inputs.max_gap
    return instance
