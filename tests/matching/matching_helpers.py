"""Shared by the matching tests: a tiny instance to vary."""

from __future__ import annotations

from typing import Any


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
