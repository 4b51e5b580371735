"""The checks a benchmark runs on every result: the project's own checkers, and the contract's
check.py as well when ../shared/contract is beside the repository."""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path
from types import ModuleType

from app.matching.engine.check import check_schedule
from app.planning.engine.check import check_plan as check_plan_rules

SHARED_CHECK = Path(__file__).resolve().parents[1].parent / "shared" / "contract" / "check.py"


@functools.cache
def _shared() -> ModuleType | None:
    if not SHARED_CHECK.is_file():
        return None
    spec = importlib.util.spec_from_file_location("contract_check", SHARED_CHECK)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {SHARED_CHECK}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_match(data: object, schedule: object) -> tuple[list[str], int]:
    """The broken rules of a schedule, by both checkers, and the recomputed objective."""
    problems, objective = check_schedule(data, schedule)
    if (shared := _shared()) is not None:
        problems += [f"check.py: {error}" for error in shared.check_match(data, schedule)[0]]
    return problems, objective


def check_plan(data: object, plan: object) -> tuple[list[str], int]:
    """The broken rules of a plan, by both checkers, and the recomputed objective."""
    problems, objective = check_plan_rules(data, plan)
    if (shared := _shared()) is not None:
        problems += [f"check.py: {error}" for error in shared.check_plan(data, plan)[0]]
    return problems, objective
