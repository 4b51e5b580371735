"""Reading a stop's fields from a form or a JSON body, with one clear message per bad field.

Forms send strings and the API sends JSON values; both come through here so that the same
input gets the same answer, and every problem is reported at once rather than the first one.
"""

from collections.abc import Mapping
from datetime import date, datetime, time
from functools import lru_cache
from typing import Any

from babel import Locale

from app.clock import ROME
from app.forms import Problems
from app.i18n import gettext as _

# Codes Babel knows that are regions or placeholders rather than countries.
NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "ZZ", "QO", "XA", "XB"})


@lru_cache
def iso_country_names() -> dict[str, tuple[str, str]]:
    """ISO 3166 alpha-2 code -> (Italian name, English name), from Babel's CLDR data."""
    italian, english = Locale.parse("it"), Locale.parse("en")
    return {
        code: (italian.territories.get(code, name), name)
        for code, name in english.territories.items()
        if len(code) == 2 and code.isalpha() and code.isupper() and code not in NOT_COUNTRIES
    }


class FieldReader:
    """Collects typed values and per-field errors from raw input."""

    def __init__(self, raw: Mapping[str, Any]) -> None:
        self.raw = raw
        self.values: dict[str, Any] = {}
        self.errors = Problems()

    def given(self, name: str) -> bool:
        return name in self.raw

    def _raw_text(self, name: str) -> str | None:
        value = self.raw.get(name)
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            self.errors[name] = _("Send this field as text.")
            return None
        return str(value).strip()

    def text(self, name: str, *, max_length: int, required: bool = False, column: str | None = None) -> None:
        value = self._raw_text(name)
        if value is None:
            return
        if required and not value:
            self.errors[name] = _("This field is required.")
        elif len(value) > max_length:
            self.errors[name] = _("Use at most %(max)d characters.") % {"max": max_length}
        else:
            self.values[column or name] = value

    def integer(self, name: str, *, minimum: int, maximum: int, column: str | None = None) -> None:
        value = self.raw.get(name)
        number: int | None = None
        if isinstance(value, int) and not isinstance(value, bool):
            number = value
        elif isinstance(value, str) and value.strip().lstrip("-").isdigit():
            number = int(value.strip())
        if number is None:
            self.errors[name] = _("Enter a whole number.")
        elif not minimum <= number <= maximum:
            self.errors[name] = _("Enter a number from %(min)d to %(max)d.") % {
                "min": minimum,
                "max": maximum,
            }
        else:
            self.values[column or name] = number

    def day(self, name: str, *, column: str | None = None, optional: bool = False) -> None:
        value = self.raw.get(name)
        if optional and (value is None or not str(value).strip()):
            self.values[column or name] = None
            return
        try:
            parsed = value if isinstance(value, date) else date.fromisoformat(str(value or "").strip())
        except ValueError:
            self.errors[name] = _("Enter a date as YYYY-MM-DD.")
            return
        self.values[column or name] = parsed

    def clock_time(self, name: str, *, optional: bool = False) -> None:
        value = self.raw.get(name)
        text = "" if value is None else str(value).strip()
        if optional and not text:
            self.values[name] = None
            return
        try:
            parsed = value if isinstance(value, time) else time.fromisoformat(text)
        except ValueError:
            self.errors[name] = _("Enter a time as HH:MM.")
            return
        self.values[name] = parsed.replace(second=0, microsecond=0, tzinfo=None)

    def moment(self, name: str, *, column: str | None = None) -> None:
        """A date and time; without an offset it is the time in Italy."""
        value = self.raw.get(name)
        text = "" if value is None else str(value).strip()
        if not text:
            self.values[column or name] = None
            return
        try:
            parsed = datetime.fromisoformat(text)
        except ValueError:
            self.errors[name] = _("Enter a date and time as YYYY-MM-DD HH:MM.")
            return
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=ROME)
        self.values[column or name] = parsed

    def flag(self, name: str) -> None:
        value = self.raw.get(name)
        if isinstance(value, bool):
            self.values[name] = value
        elif value is None or str(value).strip().lower() in {"", "0", "false", "off", "no"}:
            self.values[name] = False
        elif str(value).strip().lower() in {"1", "true", "on", "yes"}:
            self.values[name] = True
        else:
            self.errors[name] = _("Answer yes or no.")

    def codes(self, name: str) -> list[str] | None:
        """A list of codes, from a JSON list or from text separated by commas or spaces."""
        value = self.raw.get(name)
        if value is None:
            return []
        if isinstance(value, str):
            value = value.replace(",", " ").split()
        if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
            self.errors[name] = _("Send a list of codes.")
            return None
        seen: list[str] = []
        for code in (v.strip().upper() for v in value):
            if code and code not in seen:
                seen.append(code)
        return seen
