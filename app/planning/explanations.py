"""Why no plan came out, said in the reader's language: the engine's reasons (engine/why.py) as
translated sentences, with the names and dates of the reference data instead of codes.

Scenarios planned before reasons were data hold English sentences: they are shown as they are,
marked as English (``Line.english``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from babel.dates import format_date

from app.i18n import babel_locale
from app.i18n import gettext as _
from app.planning.engine.why import english
from app.planning.sources import Reference
from app.web import localized


@dataclass(frozen=True)
class Line:
    text: str
    english: bool = False


class _Names:
    def __init__(self, reference: Reference) -> None:
        self.sectors = {s.slug: localized(s, "name") for s in reference.sectors}
        self.territories = {t.code: t.name for t in reference.territories}
        self.countries = {c.code: localized(c, "name") for c in reference.countries}

    def params(self, reason: dict[str, Any]) -> dict[str, Any]:
        """The reason's parameters ready for a sentence: names for codes, dates as the reader writes them."""
        values = dict(reason)
        for key in ("date", "first", "second", "last", "start", "end"):
            if isinstance(values.get(key), str):
                values[key] = _day(values[key])
        if "country" in values:
            values["country"] = self.countries.get(values["country"], values["country"])
        if "sector" in values:
            values["sector"] = self.sectors.get(values["sector"], values["sector"])
        if "territory" in values:
            values["territory"] = self.territories.get(values["territory"], values["territory"])
        if isinstance(values.get("seconds"), int | float):
            values["seconds"] = f"{values['seconds']:g}"
        if "fixed" in values:
            values["fixed"] = values["fixed"] + 1  # people count from one
        return values


def _day(text: str) -> str:
    try:
        return format_date(date.fromisoformat(text), "d MMMM yyyy", locale=babel_locale())
    except ValueError:
        return text


def _closed(closed: dict[str, Any]) -> str:
    why = closed.get("why")
    if why == "outside":
        return _("outside the period from %(start)s to %(end)s") % {
            "start": _day(closed["start"]),
            "end": _day(closed["end"]),
        }
    if why == "weekday":
        name = babel_locale().days["format"]["wide"][int(closed["weekday_index"])]
        return _("on a %(weekday)s, a day of the week not allowed") % {"weekday": name}
    if why == "blackout":
        return _("in the period closed from %(start)s to %(end)s") % {
            "start": _day(closed["start"]),
            "end": _day(closed["end"]),
        }
    return _("a closed date")


def _families(codes: list[str]) -> str:
    names = {
        "closed_dates": _("the closed dates and periods"),
        "territory_limits": _("the maximum number of stops per territory"),
        "territory_dates": _("the territories' unavailable dates"),
        "country_limits": _("the minimum and maximum number of stops per country"),
        "countries_per_stop": _("the number of countries per stop"),
        "country_dates": _("the countries' unavailable dates"),
        "min_spacing": _("the minimum number of days between stops"),
        "max_spacing": _("the maximum number of days between stops"),
        "fixed": _("the fixed stops"),
    }
    listed = [names.get(code, code) for code in codes]
    if len(listed) == 1:
        return listed[0]
    return _("%(list)s and %(last)s") % {"list": ", ".join(listed[:-1]), "last": listed[-1]}


def _conflict(p: dict[str, Any]) -> str:
    families = _families(p["families"])
    if len(p["families"]) == 1:
        text = _("%(rules)s cannot be met, even with the other rules relaxed.") % {"rules": families}
    else:
        text = _("%(rules)s cannot all be met together: relaxing any one of them makes a plan possible.") % {
            "rules": families
        }
    text = text[:1].upper() + text[1:]
    if p.get("uncertain"):
        text += " " + _("(Some checks ran out of time, so the list may be longer than needed.)")
    return text


SENTENCES: dict[str, Callable[[], str]] = {
    "fixed_closed_date": lambda: _("Fixed stop no. %(fixed)d falls on a closed date, %(date)s."),
    "fixed_territory_unavailable": lambda: _(
        "Fixed stop no. %(fixed)d is in %(territory)s on %(date)s, when that territory is unavailable."
    ),
    "fixed_country_count": lambda: _(
        "Fixed stop no. %(fixed)d features %(count)d countries, but each stop needs %(low)d to %(high)d."
    ),
    "fixed_country_unavailable": lambda: _(
        "Fixed stop no. %(fixed)d features %(country)s on %(date)s, one of its unavailable dates."
    ),
    "fixed_too_close": lambda: _(
        "Two fixed stops, on %(first)s and %(second)s, are closer than %(gap)d days."
    ),
    "fixed_sector_excess": lambda: _("%(count)d fixed stops are in %(sector)s, which needs only %(stops)d."),
    "fixed_territory_excess": lambda: _(
        "%(count)d fixed stops are in %(territory)s, which hosts at most %(limit)d."
    ),
    "fixed_country_excess": lambda: _(
        "The fixed stops feature %(country)s %(count)d times, but its maximum is %(limit)d."
    ),
    "territory_capacity": lambda: _(
        "The territories' limits allow %(room)d stops, but the sectors need %(needed)d."
    ),
    "too_few_countries": lambda: _(
        "Each stop needs %(low)d different countries, but only %(listed)d are listed."
    ),
    "country_places_short": lambda: _(
        "The countries need at least %(needed)d places at stops, but %(stops)d stops with at most "
        "%(high)d countries each offer fewer."
    ),
    "country_room_short": lambda: _(
        "%(stops)d stops with at least %(low)d countries each need more places than the countries' "
        "maximums allow (%(room)d)."
    ),
    "country_min_exceeds_plan": lambda: _(
        "%(country)s must be featured at %(min)d stops, but the plan has only %(stops)d."
    ),
    "no_usable_date": lambda: _(
        "No date from %(start)s to %(end)s is allowed and has a free territory and enough countries."
    ),
    "spacing": lambda: _(
        "%(stops)d stops need at least %(gap)d days between them, but only %(fit)d allowed dates fit "
        "from %(start)s to %(end)s."
    ),
    "max_spacing_stretch": lambda: _(
        "Consecutive stops may be at most %(most)d days apart, and the allowed dates have longer gaps: "
        "the roomiest stretch, from %(first)s to %(last)s, fits only %(fit)d of the %(stops)d stops."
    ),
    "fixed_split_by_gaps": lambda: _(
        "The fixed stops cannot all be in one plan: consecutive stops may be at most %(most)d days "
        "apart, and the allowed dates between the fixed stops have longer gaps."
    ),
    "country_dates": lambda: _(
        "%(country)s must be featured at %(min)d stops, but only %(fit)d possible dates, %(gap)d days "
        "apart, avoid its unavailable dates."
    ),
    "calendar_impossible": lambda: _(
        "No plan is possible even with every rule relaxed: the sectors' stops cannot be placed from "
        "%(start)s to %(end)s on the allowed days of the week."
    ),
    "time_limit": lambda: _(
        "No plan was found within %(seconds)s seconds, and none was proven impossible: allow more time."
    ),
}


def lines(explanation: list[dict[str, Any] | str] | None, reference: Reference) -> list[Line]:
    """The scenario's explanation, one translated sentence per reason."""
    names = _Names(reference)
    said = []
    for reason in explanation or []:
        if isinstance(reason, str):
            said.append(Line(reason, english=True))
            continue
        code = reason.get("code", "")
        values = names.params(reason)
        if code == "families_conflict":
            said.append(Line(_conflict(reason)))
        elif code == "fixed_not_open":
            text = _("Fixed stop no. %(fixed)d, on %(date)s, is %(closed)s.")
            said.append(Line(text % {**values, "closed": _closed(reason["closed"])}))
        elif code in SENTENCES:
            said.append(Line(SENTENCES[code]() % values))
        else:
            said.append(Line(english(reason), english=True))
    return said
