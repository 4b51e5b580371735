"""Why no plan came out, as data: a code and its parameters, and their plain English wording.

The engine says why as ``{"code": "spacing", "stops": 12, "gap": 14, ...}``: the command line
prints ``english(reason)`` (the contract's exit 3 explanation), and the planner page says the same
reason in the reader's language (``app.planning.explanations``) with its own names for codes.
Parameters are plain JSON values (numbers, ISO dates, codes), so reasons can be stored.
"""

from __future__ import annotations

from typing import Any

from app.planning.engine.names import country_label, plural

Reason = dict[str, Any]


def reason(code: str, **params: Any) -> Reason:
    return {"code": code, **params}


# Why a day is closed (the ``closed`` parameter of ``fixed_not_open``), in English.
CLOSED = {
    "outside": "outside {start}..{end}",
    "weekday": "on a {weekday}, not an allowed weekday",
    "closed_date": "a closed date",
    "blackout": "in the blackout {start}..{end}",
}

# Rule families (``families`` of ``families_conflict``), as model.Family names them.
FAMILIES = {
    "closed_dates": "the closed dates and blackouts",
    "territory_limits": "the territories' max_stops",
    "territory_dates": "the territories' unavailable dates",
    "country_limits": "the countries' min_stops and max_stops",
    "countries_per_stop": "countries_per_stop",
    "country_dates": "the countries' unavailable dates",
    "min_spacing": "min_days_between_stops",
    "max_spacing": "max_days_between_stops",
    "fixed": "the fixed stops",
}


def closed_english(closed: dict[str, Any]) -> str:
    return CLOSED[closed["why"]].format(**closed)


def _listed(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _families(params: dict[str, Any]) -> str:
    needed = [FAMILIES[code] for code in params["families"]]
    if len(needed) == 1:
        text = f"{needed[0]} cannot be met, even with the other rules relaxed"
    elif len(needed) == 2:
        text = f"{needed[0]} and {needed[1]} cannot both be met; relaxing either makes a plan possible"
    else:
        text = f"{_listed(needed)} cannot all be met together; relaxing any one of them makes a plan possible"
    if params.get("uncertain"):
        text += " (some checks ran out of time, so the list may be longer than needed)"
    return text


# The English sentence of each reason, filled by ``str.format`` with the reason's parameters and
# the wordings ``_wording`` adds; ``families_conflict`` has its own function.
ENGLISH = {
    "fixed_not_open": "{fixed} on {date} is {closed}",
    "fixed_closed_date": "{fixed} falls on a closed date {date}",
    "fixed_territory_unavailable": "{fixed} is in {territory} on {date}, when {territory} is unavailable",
    "fixed_country_count": "{fixed} features {countries}, but each stop needs {low} to {high}",
    "fixed_country_unavailable": "{fixed} features {country} on {date}, one of its unavailable dates",
    "fixed_too_close": "two fixed stops on {first} and {second} are closer than {gap} days",
    "fixed_sector_excess": "{fixed_stops} are in {sector}, which needs only {stops}",
    "fixed_territory_excess": "{fixed_stops} are in {territory}, which hosts at most {limit}",
    "fixed_country_excess": "the fixed stops feature {country} {count} times, but its max_stops is {limit}",
    "territory_capacity": "territory limits allow {room} stops but the sectors need {needed}",
    "too_few_countries": "each stop needs {low} distinct countries but only {listed} are listed",
    "country_places_short": (
        "the countries need at least {needed} featured places but "
        "{stops} stops × {high} countries allow at most {most_places}"
    ),
    "country_room_short": (
        "{stops} stops × {low} countries need {least_places} featured places but the "
        "countries' max_stops allow at most {room}"
    ),
    "country_min_exceeds_plan": "{country} must be featured at {min} stops, but the plan has only {stops}",
    "no_usable_date": (
        "no date between {start} and {end} is allowed and has a free territory and enough countries"
    ),
    "spacing": (
        "{stops} stops need at least {gap} days between them, "
        "but only {fit} allowed dates fit between {start} and {end}"
    ),
    "max_spacing_stretch": (
        "consecutive stops may be at most {most} days apart, and the allowed dates have gaps "
        "longer than that: the roomiest stretch, {first}..{last}, fits only {fit} of the {stops} stops"
    ),
    "fixed_split_by_gaps": (
        "the fixed stops cannot all be in one plan: consecutive stops may be at most {most} "
        "days apart, and the allowed dates between the fixed stops have longer gaps"
    ),
    "country_dates": (
        "{country} must be featured at {min} stops, but "
        "only {fit} possible dates{spaced} avoid its unavailable dates"
    ),
    "calendar_impossible": (
        "no plan is possible even with every rule family relaxed: the sectors' stops "
        "cannot be placed between {start} and {end} on the allowed weekdays"
    ),
    "time_limit": (
        "no plan was found within the time limit of {seconds:g} s, and none was "
        "proven impossible; allow more time"
    ),
}


def _wording(p: dict[str, Any]) -> dict[str, Any]:
    """The reason's parameters, with the English wordings its sentence uses in place of codes and counts."""
    words = {**p}
    if "fixed" in p:
        words["fixed"] = f"fixed[{p['fixed']}]"
    if "country" in p:
        words["country"] = country_label(p["country"])
    if "closed" in p:
        words["closed"] = closed_english(p["closed"])
    if "count" in p:
        words["countries"] = plural(p["count"], "country", "countries")
        words["fixed_stops"] = plural(p["count"], "fixed stop")
    if "stops" in p and "high" in p:
        words["most_places"] = p["stops"] * p["high"]
    if "stops" in p and "low" in p:
        words["least_places"] = p["stops"] * p["low"]
    if "gap" in p:
        words["spaced"] = f" at least {p['gap']} days apart" if p["gap"] > 1 else ""
    return words


def english(why: Reason | str) -> str:
    """The reason in plain English; a stored plain string (older scenarios) is returned as is."""
    if isinstance(why, str):
        return why
    code = why["code"]
    if code == "families_conflict":
        return _families(why)
    if code not in ENGLISH:
        raise ValueError(f"unknown reason code {code!r}")
    return ENGLISH[code].format(**_wording(why))
