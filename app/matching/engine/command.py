"""`roadshow match INSTANCE.json [--time-limit S] [-o OUT.json]`, as the contract fixes it:
exit 0 with the schedule, 2 with one line per problem for an invalid instance,
3 with the conflicts for an infeasible one."""

from __future__ import annotations

import json
import sys

from app.matching.engine.instance import InvalidInstance, load_instance
from app.matching.engine.solver import Infeasible, solve

INVALID = 2
INFEASIBLE = 3


def run(path: str, time_limit: float, output: str | None) -> int:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except OSError as error:
        print(f"{path}: cannot read: {error.strerror}", file=sys.stderr)
        return INVALID
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        print(f"{path}: not valid JSON: {error}", file=sys.stderr)
        return INVALID
    try:
        schedule = solve(load_instance(data), time_limit=time_limit)
    except InvalidInstance as invalid:
        for problem in invalid.problems:
            print(problem, file=sys.stderr)
        return INVALID
    except Infeasible as infeasible:
        print("the locked meetings cannot all hold:", file=sys.stderr)
        for reason in infeasible.reasons:
            print(reason, file=sys.stderr)
        return INFEASIBLE
    text = json.dumps(schedule, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        sys.stdout.write(text)
    else:
        with open(output, "w", encoding="utf-8") as handle:
            handle.write(text)
    return 0
