"""Measure the roadshow planner on seeded instances of growing size.

    python benchmarks/planning.py [--time-limit 10] [--sizes 10,20,30] [--seed N]

Prints, per size: stops, objective, proven bound, whether optimal, seconds, and the
verdict of the project's checker on the plan (and of the contract's check.py when
../shared is beside the repository).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.planning.engine.instance import load_instance
from app.planning.engine.solver import PlanningError, solve
from benchmarks.contract_checks import check_plan
from benchmarks.planning_instances import generate


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--sizes", default="10,20,30")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    print(f"{'stops':>5} {'objective':>9} {'bound':>6} {'optimal':>7} {'seconds':>7}  check")
    failures = 0
    for size in (int(part) for part in args.sizes.split(",")):
        data = generate(size, args.seed)
        try:
            plan = solve(load_instance(data), time_limit=args.time_limit)
        except PlanningError as error:
            print(f"{size:>5} {'-':>9} {'-':>6} {'-':>7} {'-':>7}  {error}")
            failures += 1
            continue
        errors, _ = check_plan(data, plan)
        verdict = "ok" if not errors else f"{len(errors)} broken rules: {errors[0]}"
        failures += bool(errors)
        print(
            f"{len(plan['stops']):>5} {plan['objective']:>9} {plan['upper_bound']!s:>6} "
            f"{plan['optimal']!s:>7} {plan['seconds']:>7.2f}  {verdict}"
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
