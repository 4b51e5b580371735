"""The contract's example instances, kept here, and the checks every schedule and plan must pass.

The project checks results itself (`app/matching/engine/check.py`, `app/planning/engine/check.py`),
so that the tests pass on a fresh clone with nothing beside it. When the contract's own
`../shared/contract/check.py` is there, every result passes it too. `.ci/run`, which always has
`../shared` beside the clone, sets ROADSHOW_REQUIRE_CONTRACT_CHECK: there its absence fails the
test rather than skipping the second opinion. A newcomer's clone (even with CI=true) has no
`../shared` and runs the project's own checks alone.
"""

import functools
import importlib.util
import json
import os
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from app.config import ROOT
from app.matching.engine.check import check_schedule
from app.planning.engine.check import check_plan

EXAMPLES = Path(__file__).resolve().parent / "examples"
SHARED = ROOT.parent / "shared" / "contract"
SHARED_CHECK = SHARED / "check.py"
REQUIRED = os.environ.get("ROADSHOW_REQUIRE_CONTRACT_CHECK", "").lower() in {"1", "true", "yes"}


def example_path(name: str) -> Path:
    return EXAMPLES / f"{name}.json"


def example(name: str) -> dict[str, Any]:
    """A fresh copy of one of the contract's examples (match-small, match-compact, plan-small)."""
    data: dict[str, Any] = json.loads(example_path(name).read_text(encoding="utf-8"))
    return data


def shared_available() -> bool:
    """Whether ../shared/contract is beside the repository; in .ci/run it must be."""
    if SHARED_CHECK.is_file():
        return True
    if REQUIRED:
        pytest.fail(f"required by ROADSHOW_REQUIRE_CONTRACT_CHECK: {SHARED_CHECK}")
    return False


@functools.cache
def _shared_checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("contract_check", SHARED_CHECK)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def shared_checker() -> ModuleType | None:
    """The contract's check.py as a module, or None when it is not beside the repository."""
    return _shared_checker() if shared_available() else None


def assert_schedule_valid(data: dict[str, Any], schedule: dict[str, Any]) -> None:
    problems, objective = check_schedule(data, schedule)
    assert problems == []
    assert objective == schedule["objective"]
    if (shared := shared_checker()) is not None:
        assert shared.check_match(data, schedule)[0] == []


def assert_plan_valid(data: dict[str, Any], plan: dict[str, Any]) -> None:
    problems, objective = check_plan(data, plan)
    assert problems == []
    assert objective == plan["objective"]
    if (shared := shared_checker()) is not None:
        assert shared.check_plan(data, plan)[0] == []
