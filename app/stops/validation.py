"""The stop form's checks: every field read and checked at once, then the rules across fields.

``check`` returns the columns of a create or update, or raises InvalidInput naming each bad field
(one message per field); it writes nothing.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any

from sqlmodel import Session, select

from app import clock
from app.companies import seats
from app.errors import InvalidInput
from app.i18n import gettext as _
from app.reference.models import Country, Sector, Territory
from app.stops.fields import FieldReader, iso_country_names
from app.stops.models import Stop

# Input names and the columns they fill; defaults are the model's, as strings a form would send.
DEFAULTS: dict[str, Any] = {
    "description_it": "",
    "description_en": "",
    "venue_address": "",
    "start_time": "09:30",
    "end_time": "17:30",
    "attendees_per_company": 2,
    "registration_opens_at": None,
    "registration_closes_at": None,
    "hold_hours": 48,
    "meeting_request_quota": 3,
    "auto_accept_requests": False,
    "requests_close_on": None,
    "b2b_first_slot": None,
    "b2b_slot_minutes": 20,
    "b2b_slot_count": 0,
    "b2b_tables": 0,
    "countries": [],
}


FIELDS = frozenset(
    {*DEFAULTS, "title", "title_it", "title_en", "sector", "territory", "city", "venue", "date", "capacity"}
) | {"other_countries"}


@dataclass
class StopChange:
    """The checked values of a create or update: columns, and the countries in order."""

    columns: dict[str, Any]
    countries: list[str] | None


def _titles(raw: Mapping[str, Any]) -> dict[str, Any]:
    """``title`` fills whichever of ``title_it`` and ``title_en`` is missing."""
    values = dict(raw)
    shared = values.pop("title", None)
    it, en = values.get("title_it") or shared, values.get("title_en") or shared
    if it or en or "title_it" in raw or "title_en" in raw:
        values["title_it"], values["title_en"] = it or en, en or it
    return values


TEXTS = {
    "title_it": (200, True),
    "title_en": (200, True),
    "description_it": (4000, False),
    "description_en": (4000, False),
    "city": (120, True),
    "venue": (200, True),
    "venue_address": (300, False),
}
NUMBERS = {
    "capacity": (0, 100_000),
    "attendees_per_company": (1, 20),
    "hold_hours": (1, 720),
    "meeting_request_quota": (0, 50),
    "b2b_slot_minutes": (5, 120),
    "b2b_slot_count": (0, 100),
    "b2b_tables": (0, 200),
}


def _read(
    raw: Mapping[str, Any], *, creating: bool, db_session: Session
) -> tuple[FieldReader, list[str] | None]:
    read = FieldReader(raw)
    wanted = [name for name in FIELDS if creating or read.given(name)]
    if creating and "title_it" not in raw:
        read.errors["title"] = _("Give the stop a title.")
        wanted = [name for name in wanted if name not in ("title_it", "title_en")]
    for name in wanted:
        if name in TEXTS:
            read.text(name, max_length=TEXTS[name][0], required=TEXTS[name][1])
        elif name in NUMBERS:
            read.integer(name, minimum=NUMBERS[name][0], maximum=NUMBERS[name][1])
        elif name in ("start_time", "end_time"):
            read.clock_time(name)
        elif name == "b2b_first_slot":
            read.clock_time(name, optional=True)
        elif name in ("registration_opens_at", "registration_closes_at"):
            read.moment(name)
        elif name == "date":
            read.day(name, column="stop_date")
        elif name == "requests_close_on":
            read.day(name, optional=True)
        elif name == "auto_accept_requests":
            read.flag(name)
    _read_reference(read, wanted, db_session=db_session)
    countries = _read_countries(read, db_session=db_session) if "countries" in wanted else None
    return read, countries


def _read_reference(read: FieldReader, wanted: list[str], *, db_session: Session) -> None:
    """Sector and territory by their codes."""
    if "sector" in wanted:
        read.text("sector", max_length=40, required=True, column="sector_slug")
        slug = read.values.pop("sector_slug", None)
        if slug is not None and db_session.get(Sector, slug.lower()) is None:
            read.errors["sector"] = _("Unknown sector '%s'.") % slug
        elif slug is not None:
            read.values["sector_slug"] = slug.lower()
    if "territory" in wanted:
        read.text("territory", max_length=2, required=True, column="territory_code")
        code = read.values.pop("territory_code", None)
        if code is not None and db_session.get(Territory, code.upper()) is None:
            read.errors["territory"] = _("Unknown territory '%s': use a province code.") % code
        elif code is not None:
            read.values["territory_code"] = code.upper()


def _read_countries(read: FieldReader, *, db_session: Session) -> list[str] | None:
    known = {c.code for c in db_session.exec(select(Country))}
    iso = iso_country_names()
    chosen: list[str] = []
    for name in ("countries", "other_countries"):
        codes = read.codes(name)
        if codes is None:
            continue
        unknown = [code for code in codes if code not in known and code not in iso]
        if unknown:
            read.errors[name] = _(
                "Unknown country code: %(codes)s. Use ISO 3166 alpha-2 codes, such as JP for Japan."
            ) % {"codes": ", ".join(unknown)}
        chosen += [code for code in codes if code not in unknown and code not in chosen]
    return chosen


def _check_together(
    values: dict[str, Any], errors: dict[str, str], *, stop: Stop | None, db_session: Session
) -> None:
    """Rules across fields, on the stop as it would be after the change."""

    def merged(column: str) -> Any:
        if column in values:
            return values[column]
        return getattr(stop, column) if stop is not None else None

    day, start, end = merged("stop_date"), merged("start_time"), merged("end_time")
    if (
        "stop_date" in values
        and day is not None
        and day < clock.today()
        and (stop is None or day != stop.stop_date)
    ):
        errors["date"] = _("The stop cannot be on a day already past.")
    if start is not None and end is not None and end <= start:
        errors.setdefault("end_time", _("The stop must end after it starts."))
    opens, closes = merged("registration_opens_at"), merged("registration_closes_at")
    if opens and closes and closes <= opens:
        errors.setdefault("registration_closes_at", _("Registrations must close after they open."))
    if day is not None and closes and closes.astimezone(clock.ROME).date() > day:
        errors.setdefault(
            "registration_closes_at", _("Registrations must close no later than the day of the stop.")
        )
    if day is not None and opens and opens.astimezone(clock.ROME).date() > day:
        errors.setdefault("registration_opens_at", _("Registrations must open before the day of the stop."))
    requests_close = merged("requests_close_on")
    if day is not None and requests_close is not None and requests_close > day:
        errors.setdefault(
            "requests_close_on", _("Meeting requests must close no later than the day of the stop.")
        )
    _check_b2b_block(merged, errors)
    capacity = values.get("capacity")
    if stop is not None and capacity is not None:
        problem = seats.capacity_problem(stop, capacity, db_session=db_session)
        if problem is not None:
            errors.setdefault("capacity", problem)


def _check_b2b_block(merged: Any, errors: dict[str, str]) -> None:
    count, minutes, first = merged("b2b_slot_count"), merged("b2b_slot_minutes"), merged("b2b_first_slot")
    if not count:
        return
    if first is None:
        errors.setdefault("b2b_first_slot", _("Give the time of the first meeting slot."))
        return
    if not merged("b2b_tables"):
        errors.setdefault("b2b_tables", _("The meetings need at least one table."))
    start, end = merged("start_time"), merged("end_time")
    if start is None or end is None or minutes is None:
        return
    block_start = first.hour * 60 + first.minute
    block_end = block_start + count * minutes
    if block_start < start.hour * 60 + start.minute or block_end > end.hour * 60 + end.minute:
        last = time(block_end // 60 % 24, block_end % 60) if block_end < 24 * 60 else time(23, 59)
        errors.setdefault(
            "b2b_slot_count",
            _("The meetings block (%(first)s–%(last)s) must fit within the day (%(start)s–%(end)s).")
            % {
                "first": first.strftime("%H:%M"),
                "last": last.strftime("%H:%M") if block_end < 24 * 60 else _("after midnight"),
                "start": start.strftime("%H:%M"),
                "end": end.strftime("%H:%M"),
            },
        )


def check(raw: Mapping[str, Any], *, stop: Stop | None, db_session: Session) -> StopChange:
    """The checked change, or InvalidInput naming every bad field."""
    creating = stop is None
    shared_title = "title" in raw and "title_it" not in raw and "title_en" not in raw
    values = _titles({**DEFAULTS, **raw} if creating else raw)
    read, countries = _read(values, creating=creating, db_session=db_session)
    for name in raw:
        if name not in FIELDS and name != "status":
            read.errors[name] = _("Unknown field.")
    if not creating and "status" in raw and raw["status"] != (stop.status if stop else None):
        read.errors["status"] = _("Change the status with the publish, close or cancel actions.")
    for name in ("title_it", "title_en"):
        if shared_title and name in read.errors:
            read.errors["title"] = read.errors.pop(name)
    _check_together(read.values, read.errors, stop=stop, db_session=db_session)
    if read.errors:
        raise InvalidInput(read.errors)
    return StopChange(columns=read.values, countries=countries)
