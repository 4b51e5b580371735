"""Shared by the matching tests: the contract's checker and its example instances."""

from __future__ import annotations

import copy
import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

CONTRACT = Path(__file__).resolve().parents[2].parent / "shared" / "contract"


def checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("contract_check", CONTRACT / "check.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def example(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((CONTRACT / "examples" / f"{name}.json").read_text())
    return copy.deepcopy(data)


def assert_valid(data: dict[str, Any], schedule: dict[str, Any]) -> None:
    errors, _ = checker().check_match(data, schedule)
    assert errors == []


def tiny_instance(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": "roadshow.match/1",
        "stop": "test",
        "slots": ["14:00", "14:20", "14:40"],
        "tables": 3,
        "fairness_bonus": 2,
        "companies": [{"id": "c1"}, {"id": "c2"}, {"id": "c3", "max_meetings": 1}],
        "representatives": [
            {"id": "us", "country": "US"},
            {"id": "de", "country": "DE", "slots": ["14:20", "14:40"]},
        ],
        "requests": [
            {"company": "c1", "representative": "us", "weight": 3},
            {"company": "c2", "representative": "us"},
            {"company": "c3", "representative": "us", "weight": 2},
            {"company": "c1", "representative": "de", "weight": 5},
            {"company": "c3", "representative": "de"},
        ],
        "locked": [],
    }
    data.update(changes)
    return data
