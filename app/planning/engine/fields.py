"""Field readers that record a problem, with its path, instead of raising.

Each reader returns the parsed value, or None (or an empty collection) when the field is
unusable, so that validation can go on and report every problem in one pass.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any, TypeGuard

# Plans compare dates as strings too (the contract's checker does), so only the canonical
# form is accepted, not every form `date.fromisoformat` tolerates.
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
SCORE_LOW, SCORE_HIGH = 0, 5


class Problems:
    def __init__(self) -> None:
        self.messages: list[str] = []

    def __bool__(self) -> bool:
        return bool(self.messages)

    def add(self, path: str, message: str) -> None:
        self.messages.append(f"{path}: {message}")

    def iso_date(self, value: object, path: str, *, required: bool = False) -> date | None:
        if value is None:
            if required:
                self.add(path, "missing")
            return None
        if isinstance(value, str) and ISO_DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        self.add(path, f"not a date {value!r}")
        return None

    def iso_dates(self, value: object, path: str) -> list[date]:
        found = (self.iso_date(item, f"{path}[{n}]") for n, item in enumerate(self.list_of(value, path)))
        return [day for day in found if day is not None]

    def integer(
        self,
        value: object,
        path: str,
        *,
        low: int,
        high: int | None = None,
        required: bool = False,
    ) -> int | None:
        if value is None and required:
            self.add(path, "missing")
            return None
        # bool is an int subclass in Python, but `true` is no count of days.
        if type(value) is int and value >= low and (high is None or value <= high):
            return value
        if high is None:
            self.add(path, f"must be an integer of at least {low}")
        else:
            self.add(path, f"must be an integer from {low} to {high}")
        return None

    def list_of(self, value: object, path: str, *, required: bool = False) -> list[Any]:
        if value is None and required:
            self.add(path, "missing")
            return []
        if not isinstance(value, list):
            self.add(path, "expected a list")
            return []
        return value

    def is_object(self, value: object, path: str) -> TypeGuard[dict[str, Any]]:
        if isinstance(value, dict):
            return True
        self.add(path, "expected an object")
        return False

    def identified_items(
        self, value: object, path: str, *, required: bool = False
    ) -> Iterator[tuple[int, dict[str, Any], str]]:
        """Yield (index, object, id) for each well-formed entry with a fresh string id."""
        seen: set[str] = set()
        for index, item in enumerate(self.list_of(value, path, required=required)):
            where = f"{path}[{index}]"
            if not self.is_object(item, where):
                continue
            item_id = item.get("id")
            if not isinstance(item_id, str) or not item_id:
                self.add(f"{where}.id", "expected a non-empty string")
            elif item_id in seen:
                self.add(f"{where}.id", f"duplicate id {item_id!r}")
            else:
                seen.add(item_id)
                yield index, item, item_id

    def known(self, value: object, path: str, ids: set[str], kind: str) -> str | None:
        if value is None:
            self.add(path, "missing")
        elif not isinstance(value, str) or value not in ids:
            self.add(path, f"unknown {kind} {value!r}")
        else:
            return value
        return None

    def scores(self, value: object, path: str, ids: set[str] | None, kind: str) -> dict[str, int]:
        """A {id: 0..5} object; ids outside `ids` (when given) are problems."""
        if not isinstance(value, dict):
            self.add(path, f"expected an object of {kind} scores")
            return {}
        scores = {}
        for key, score in value.items():
            if ids is not None and key not in ids:
                self.add(f"{path}.{key}", f"unknown {kind} {key!r}")
                continue
            checked = self.integer(score, f"{path}.{key}", low=SCORE_LOW, high=SCORE_HIGH)
            if checked is not None:
                scores[key] = checked
        return scores
