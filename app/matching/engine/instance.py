"""The `roadshow.match/1` instance: parsing, validation and typed access.

Validation collects every problem before raising, so that an organiser fixing an
instance by hand sees the whole list at once rather than one error per attempt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

FORMAT = "roadshow.match/1"
MAX_WEIGHT = 10


class InvalidInstance(Exception):
    """The instance does not follow the format; `problems` holds one line per fault."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Party:
    """A company or a representative, with the slot indices in which it is present."""

    id: str
    present: frozenset[int]
    max_meetings: int | None


@dataclass(frozen=True)
class Request:
    company: int
    representative: int
    weight: int


@dataclass(frozen=True)
class Locked:
    request: int
    slot: int


@dataclass(frozen=True)
class MatchInstance:
    stop: str
    slots: tuple[str, ...]
    tables: int
    fairness_bonus: int
    companies: tuple[Party, ...]
    representatives: tuple[Party, ...]
    countries: tuple[str, ...]
    requests: tuple[Request, ...]
    locked: tuple[Locked, ...]

    def common_slots(self, request: Request) -> list[int]:
        """Slot indices in which both parties of the request are present, in time order."""
        both = self.companies[request.company].present & self.representatives[request.representative].present
        return sorted(both)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


class _Reader:
    """Walks the decoded JSON, noting problems instead of raising on the first one."""

    def __init__(self) -> None:
        self.problems: list[str] = []

    def list_of_objects(self, value: object, path: str) -> list[dict[str, Any]]:
        if not isinstance(value, list):
            self.problems.append(f"{path}: expected a list")
            return []
        good = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                good.append(item)
            else:
                self.problems.append(f"{path}[{i}]: expected an object")
                good.append({})
        return good

    def text(self, item: dict[str, Any], key: str, path: str) -> str | None:
        value = item.get(key)
        if not isinstance(value, str) or not value:
            self.problems.append(f"{path}.{key}: expected a non-empty string")
            return None
        return value

    def slot_set(self, item: dict[str, Any], path: str, slot_index: dict[str, int]) -> frozenset[int]:
        if "slots" not in item:
            return frozenset(slot_index.values())
        value = item["slots"]
        if not isinstance(value, list):
            self.problems.append(f"{path}.slots: expected a list of slot labels")
            return frozenset()
        present: set[int] = set()
        for i, label in enumerate(value):
            if not isinstance(label, str) or label not in slot_index:
                self.problems.append(f"{path}.slots[{i}]: unknown slot {label!r}")
            elif slot_index[label] in present:
                self.problems.append(f"{path}.slots[{i}]: duplicate slot {label!r}")
            else:
                present.add(slot_index[label])
        return frozenset(present)

    def max_meetings(self, item: dict[str, Any], path: str) -> int | None:
        value = item.get("max_meetings")
        if value is None:
            return None
        if not _is_int(value) or value < 0:
            self.problems.append(f"{path}.max_meetings: must be an integer >= 0")
            return None
        return int(value)

    def parties(
        self, data: dict[str, Any], key: str, slot_index: dict[str, int]
    ) -> tuple[list[Party], list[str], dict[str, int]]:
        parties: list[Party] = []
        countries: list[str] = []
        index: dict[str, int] = {}
        for i, item in enumerate(self.list_of_objects(data.get(key), key)):
            path = f"{key}[{i}]"
            pid = self.text(item, "id", path)
            if pid is not None and pid in index:
                self.problems.append(f"{path}.id: duplicate id {pid!r}")
            elif pid is not None:
                index[pid] = len(parties)
            country = item.get("country", "")
            if not isinstance(country, str):
                self.problems.append(f"{path}.country: expected a string")
                country = ""
            parties.append(
                Party(
                    id=pid or f"#{i}",
                    present=self.slot_set(item, path, slot_index),
                    max_meetings=self.max_meetings(item, path),
                )
            )
            countries.append(country)
        return parties, countries, index


def load_instance(data: object) -> MatchInstance:
    """Parse a decoded `roadshow.match/1` JSON object; raise InvalidInstance listing every fault."""
    if not isinstance(data, dict):
        raise InvalidInstance(["instance: expected a JSON object"])
    read = _Reader()
    if data.get("format") != FORMAT:
        read.problems.append(f"format: expected {FORMAT!r}")
    stop = data.get("stop", "")
    if not isinstance(stop, str):
        read.problems.append("stop: expected a string")
        stop = ""

    slot_index: dict[str, int] = {}
    raw_slots = data.get("slots")
    if not isinstance(raw_slots, list) or not raw_slots:
        read.problems.append("slots: expected a non-empty list of slot labels")
        raw_slots = []
    for i, label in enumerate(raw_slots):
        if not isinstance(label, str) or not label:
            read.problems.append(f"slots[{i}]: expected a non-empty string")
        elif label in slot_index:
            read.problems.append(f"slots[{i}]: duplicate slot {label!r}")
        else:
            slot_index[label] = len(slot_index)

    tables = data.get("tables")
    if not isinstance(tables, int) or isinstance(tables, bool) or tables < 1:
        read.problems.append("tables: must be an integer >= 1")
        tables = 1
    bonus = data.get("fairness_bonus", 0)
    if not _is_int(bonus) or bonus < 0:
        read.problems.append("fairness_bonus: must be an integer >= 0")
        bonus = 0

    companies, _, company_index = read.parties(data, "companies", slot_index)
    representatives, countries, rep_index = read.parties(data, "representatives", slot_index)
    requests, request_index = _read_requests(read, data, company_index, rep_index)
    locked = _read_locked(read, data, company_index, rep_index, slot_index, request_index)

    if read.problems:
        raise InvalidInstance(read.problems)
    return MatchInstance(
        stop=stop,
        slots=tuple(slot_index),
        tables=int(tables),
        fairness_bonus=int(bonus),
        companies=tuple(companies),
        representatives=tuple(representatives),
        countries=tuple(countries),
        requests=tuple(requests),
        locked=tuple(locked),
    )


def _reference(read: _Reader, item: dict[str, Any], key: str, path: str, index: dict[str, int]) -> int | None:
    value = item.get(key)
    if not isinstance(value, str):
        read.problems.append(f"{path}.{key}: expected an id")
        return None
    if value not in index:
        read.problems.append(f"{path}.{key}: unknown id {value!r}")
        return None
    return index[value]


def _read_requests(
    read: _Reader,
    data: dict[str, Any],
    company_index: dict[str, int],
    rep_index: dict[str, int],
) -> tuple[list[Request], dict[tuple[int, int], int]]:
    requests: list[Request] = []
    by_pair: dict[tuple[int, int], int] = {}
    for i, item in enumerate(read.list_of_objects(data.get("requests"), "requests")):
        path = f"requests[{i}]"
        company = _reference(read, item, "company", path, company_index)
        rep = _reference(read, item, "representative", path, rep_index)
        weight = item.get("weight", 1)
        if not _is_int(weight) or not 1 <= weight <= MAX_WEIGHT:
            read.problems.append(f"{path}.weight: must be an integer from 1 to {MAX_WEIGHT}")
            weight = 1
        if company is None or rep is None:
            continue
        if (company, rep) in by_pair:
            first = by_pair[(company, rep)]
            read.problems.append(f"{path}: duplicate request, same pair as requests[{first}]")
            continue
        by_pair[(company, rep)] = i
        requests.append(Request(company=company, representative=rep, weight=int(weight)))
    # Map pairs to positions in `requests`, which skips the faulty entries.
    positions = {(q.company, q.representative): position for position, q in enumerate(requests)}
    return requests, positions


def _read_locked(
    read: _Reader,
    data: dict[str, Any],
    company_index: dict[str, int],
    rep_index: dict[str, int],
    slot_index: dict[str, int],
    request_index: dict[tuple[int, int], int],
) -> list[Locked]:
    locked: list[Locked] = []
    seen: dict[tuple[int, int], int] = {}
    raw = data.get("locked", [])
    for i, item in enumerate(read.list_of_objects(raw, "locked")):
        path = f"locked[{i}]"
        company = _reference(read, item, "company", path, company_index)
        rep = _reference(read, item, "representative", path, rep_index)
        label = item.get("slot")
        slot = slot_index.get(label) if isinstance(label, str) else None
        if slot is None:
            read.problems.append(f"{path}.slot: unknown slot {label!r}")
        if company is None or rep is None or slot is None:
            continue
        if (company, rep) not in request_index:
            read.problems.append(f"{path}: names no request ({item['company']}, {item['representative']})")
            continue
        if (request_index[(company, rep)], slot) in seen:
            first = seen[(request_index[(company, rep)], slot)]
            read.problems.append(f"{path}: repeats locked[{first}]")
            continue
        seen[(request_index[(company, rep)], slot)] = i
        locked.append(Locked(request=request_index[(company, rep)], slot=slot))
    return locked
