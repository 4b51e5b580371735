"""Measure the roadshow planner on seeded instances of growing size.

    python benchmarks/planning.py [--time-limit 10] [--sizes 10,20,30] [--seed N]

Prints, per size: stops, objective, proven bound, whether optimal, seconds, and the
verdict of the contract's check.py on the plan.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from app.planning.engine.instance import load_instance
from app.planning.engine.solver import PlanningError, solve
from app.planning.generate import generate

CHECKER = Path(__file__).resolve().parents[1].parent / "shared" / "contract" / "check.py"


def load_checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("contract_check", CHECKER)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {CHECKER}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--sizes", default="10,20,30")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    checker = load_checker()
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
        errors, _ = checker.check_plan(data, plan)
        verdict = "ok" if not errors else f"{len(errors)} broken rules: {errors[0]}"
        failures += bool(errors)
        print(
            f"{len(plan['stops']):>5} {plan['objective']:>9} {plan['upper_bound']!s:>6} "
            f"{plan['optimal']!s:>7} {plan['seconds']:>7.2f}  {verdict}"
        )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
