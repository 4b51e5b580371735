"""Why a planned stop looks the way it does: notes as data, and in plain English.

The notes are data so that the planner page can say them in the reader's language with
localized names; the engine's `reasons` are their English wording.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from app.planning.engine.instance import PlanInstance


class NoteKind(StrEnum):
    FIXED = "fixed"
    TERRITORY = "territory"
    COUNTRY = "country"
    PASSED_OVER = "passed_over"


class PassedOver(StrEnum):
    UNAVAILABLE = "unavailable"
    AT_MAXIMUM = "at_maximum"
    BETTER_ELSEWHERE = "better_elsewhere"


@dataclass(frozen=True)
class StopNote:
    """One reason; `subject` is the territory or country code it is about, `score` its points."""

    kind: NoteKind
    subject: str = ""
    score: int = 0
    countries_given: bool = False
    featured_at_minimum: int | None = None
    passed_over: PassedOver | None = None
    limit: int | None = None


def stop_score(instance: PlanInstance, stop: dict[str, Any]) -> int:
    """The stop's share of the objective: territory affinity plus the countries' interest."""
    sector = stop["sector"]
    return instance.affinity(stop["territory"], sector) + sum(
        instance.interest_of(sector, country) for country in stop["countries"]
    )


def stop_notes(instance: PlanInstance, stop: dict[str, Any], plan: list[dict[str, Any]]) -> list[StopNote]:
    sector, territory, day = stop["sector"], stop["territory"], date.fromisoformat(stop["date"])
    featured = Counter(country for other in plan for country in other["countries"])
    notes = []
    fixed = next(
        (f for f in instance.fixed if (f.sector, f.territory, f.date) == (sector, territory, day)),
        None,
    )
    if fixed is not None:
        notes.append(StopNote(NoteKind.FIXED, countries_given=fixed.countries is not None))
    notes.append(StopNote(NoteKind.TERRITORY, territory, instance.affinity(territory, sector)))
    for country in stop["countries"]:
        at_minimum = featured[country] if featured[country] == instance.country(country).min_stops else None
        notes.append(
            StopNote(
                NoteKind.COUNTRY,
                country,
                instance.interest_of(sector, country),
                featured_at_minimum=at_minimum,
            )
        )
    lowest = min((instance.interest_of(sector, c) for c in stop["countries"]), default=0)
    passed_over = sorted(
        (c for c in instance.countries if c.id not in stop["countries"]),
        key=lambda c: -instance.interest_of(sector, c.id),
    )
    for country in passed_over:
        if instance.interest_of(sector, country.id) <= lowest:
            break
        if day in country.unavailable:
            why = PassedOver.UNAVAILABLE
        elif country.max_stops is not None and featured[country.id] >= country.max_stops:
            why = PassedOver.AT_MAXIMUM
        else:
            why = PassedOver.BETTER_ELSEWHERE
        notes.append(
            StopNote(
                NoteKind.PASSED_OVER,
                country.id,
                instance.interest_of(sector, country.id),
                passed_over=why,
                limit=country.max_stops,
            )
        )
    return notes


def stop_reasons(instance: PlanInstance, stop: dict[str, Any], plan: list[dict[str, Any]]) -> list[str]:
    return [_english(note, stop) for note in stop_notes(instance, stop, plan)]


def _english(note: StopNote, stop: dict[str, Any]) -> str:
    sector = stop["sector"]
    if note.kind is NoteKind.FIXED:
        given = "its countries too" if note.countries_given else "the countries were chosen"
        return f"fixed stop: sector, territory and date were given; {given}"
    if note.kind is NoteKind.TERRITORY:
        return f"{note.subject}: territory affinity {note.score} for {sector}"
    if note.kind is NoteKind.COUNTRY:
        text = f"{note.subject}: survey interest {note.score} for {sector}"
        if note.featured_at_minimum is not None:
            text += f"; featured at {note.featured_at_minimum} stops, its minimum"
        return text
    if note.passed_over is PassedOver.UNAVAILABLE:
        why = f"unavailable on {stop['date']}"
    elif note.passed_over is PassedOver.AT_MAXIMUM:
        why = f"already at its maximum of {note.limit} stops"
    else:
        why = "its places did more for the plan at other stops"
    return f"{note.subject} (interest {note.score}) not featured: {why}"
