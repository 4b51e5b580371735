"""`roadshow plan INSTANCE.json [--time-limit S] [-o OUT.json]`, as the contract fixes it.

Exit 0 with the plan as JSON; 2 for an unreadable or invalid instance (one problem per
line on standard error, nothing on standard output); 3 when no plan can satisfy the hard
rules, with the explanation on standard error; 1 when time ran out before any plan.
"""

from __future__ import annotations

import json
import sys

from app.planning.engine.instance import InvalidInstance, load_instance
from app.planning.engine.solver import Infeasible, PlanningError, solve

EXIT_OK, EXIT_NO_PLAN, EXIT_INVALID, EXIT_INFEASIBLE = 0, 1, 2, 3


def run(path: str, time_limit: float, output: str | None) -> int:
    try:
        with open(path, encoding="utf-8") as source:
            data = json.load(source)
    except OSError as error:
        return _fail(EXIT_INVALID, [f"{path}: cannot read: {error.strerror or error}"])
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return _fail(EXIT_INVALID, [f"{path}: not JSON: {error}"])
    try:
        instance = load_instance(data)
    except InvalidInstance as invalid:
        return _fail(EXIT_INVALID, invalid.problems)
    try:
        plan = solve(instance, time_limit=time_limit)
    except Infeasible as infeasible:
        return _fail(EXIT_INFEASIBLE, ["no plan can satisfy the instance:", *infeasible.reasons])
    except PlanningError as error:
        return _fail(EXIT_NO_PLAN, error.reasons)
    text = json.dumps(plan, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
        return EXIT_OK
    try:
        with open(output, "w", encoding="utf-8") as target:
            target.write(text)
    except OSError as error:
        return _fail(EXIT_NO_PLAN, [f"{output}: cannot write: {error.strerror or error}"])
    return EXIT_OK


def _fail(code: int, lines: list[str]) -> int:
    for line in lines:
        print(line, file=sys.stderr)
    return code
