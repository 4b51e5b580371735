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


def english(why: Reason | str) -> str:
    """The reason in plain English; a stored plain string (older scenarios) is returned as is."""
    if isinstance(why, str):
        return why
    p = {**why}
    code = p["code"]
    fixed = f"fixed[{p['fixed']}]" if "fixed" in p else ""
    country = country_label(p["country"]) if "country" in p else ""
    if code == "fixed_not_open":
        return f"{fixed} on {p['date']} is {closed_english(p['closed'])}"
    if code == "fixed_closed_date":
        return f"{fixed} falls on a closed date {p['date']}"
    if code == "fixed_territory_unavailable":
        return f"{fixed} is in {p['territory']} on {p['date']}, when {p['territory']} is unavailable"
    if code == "fixed_country_count":
        listed = plural(p["count"], "country", "countries")
        return f"{fixed} features {listed}, but each stop needs {p['low']} to {p['high']}"
    if code == "fixed_country_unavailable":
        return f"{fixed} features {country} on {p['date']}, one of its unavailable dates"
    if code == "fixed_too_close":
        return f"two fixed stops on {p['first']} and {p['second']} are closer than {p['gap']} days"
    if code == "fixed_sector_excess":
        return f"{plural(p['count'], 'fixed stop')} are in {p['sector']}, which needs only {p['stops']}"
    if code == "fixed_territory_excess":
        return f"{plural(p['count'], 'fixed stop')} are in {p['territory']}, which hosts at most {p['limit']}"
    if code == "fixed_country_excess":
        return f"the fixed stops feature {country} {p['count']} times, but its max_stops is {p['limit']}"
    if code == "territory_capacity":
        return f"territory limits allow {p['room']} stops but the sectors need {p['needed']}"
    if code == "too_few_countries":
        return f"each stop needs {p['low']} distinct countries but only {p['listed']} are listed"
    if code == "country_places_short":
        return (
            f"the countries need at least {p['needed']} featured places but "
            f"{p['stops']} stops × {p['high']} countries allow at most {p['stops'] * p['high']}"
        )
    if code == "country_room_short":
        return (
            f"{p['stops']} stops × {p['low']} countries need {p['stops'] * p['low']} featured places but the "
            f"countries' max_stops allow at most {p['room']}"
        )
    if code == "country_min_exceeds_plan":
        return f"{country} must be featured at {p['min']} stops, but the plan has only {p['stops']}"
    if code == "no_usable_date":
        return (
            f"no date between {p['start']} and {p['end']} is allowed "
            "and has a free territory and enough countries"
        )
    if code == "spacing":
        return (
            f"{p['stops']} stops need at least {p['gap']} days between them, "
            f"but only {p['fit']} allowed dates fit between {p['start']} and {p['end']}"
        )
    if code == "max_spacing_stretch":
        return (
            f"consecutive stops may be at most {p['most']} days apart, and the allowed dates have gaps "
            f"longer than that: the roomiest stretch, {p['first']}..{p['last']}, fits only {p['fit']} "
            f"of the {p['stops']} stops"
        )
    if code == "fixed_split_by_gaps":
        return (
            f"the fixed stops cannot all be in one plan: consecutive stops may be at most {p['most']} "
            "days apart, and the allowed dates between the fixed stops have longer gaps"
        )
    if code == "country_dates":
        spaced = f" at least {p['gap']} days apart" if p["gap"] > 1 else ""
        return (
            f"{country} must be featured at {p['min']} stops, but "
            f"only {p['fit']} possible dates{spaced} avoid its unavailable dates"
        )
    if code == "calendar_impossible":
        return (
            "no plan is possible even with every rule family relaxed: the sectors' stops "
            f"cannot be placed between {p['start']} and {p['end']} on the allowed weekdays"
        )
    if code == "families_conflict":
        return _families(p)
    if code == "time_limit":
        return (
            f"no plan was found within the time limit of {p['seconds']:g} s, and none was "
            "proven impossible; allow more time"
        )
    raise ValueError(f"unknown reason code {code!r}")
