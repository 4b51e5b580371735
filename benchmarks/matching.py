"""Measure the B2B meeting engine on seeded instances of growing size.

    python benchmarks/matching.py [--time-limit 10] [--sizes S,M,L,XL] [--seed N]

Each schedule is validated by the contract's check.py; the table shows how close
the objective is to the proven bound and how much better it is than booking the
requests first come, first served.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.matching.generate import SIZES, generate
from app.matching.greedy import first_come_first_served
from app.matching.instance import load_instance
from app.matching.scoring import objective
from app.matching.solver import solve

CHECK_PATH = REPO.parent / "shared" / "contract" / "check.py"


def load_checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("contract_check", CHECK_PATH)
    if spec is None or spec.loader is None:
        raise SystemExit(f"cannot load {CHECK_PATH}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    checker = load_checker()
    header = (
        "size",
        "requests",
        "objective",
        "bound",
        "obj/bound",
        "obj/fcfs",
        "gaps",
        "seconds",
        "valid",
    )
    print(" | ".join(f"{h:>9}" for h in header))
    failures = 0
    for size in args.sizes.split(","):
        data = generate(size, args.seed)
        instance = load_instance(data)
        baseline = objective(instance, first_come_first_served(instance))
        started = time.monotonic()
        schedule = solve(instance, time_limit=args.time_limit)
        seconds = time.monotonic() - started
        errors, checked = checker.check_match(data, schedule)
        failures += bool(errors)
        bound = schedule["upper_bound"]
        ratio = f"{checked / bound:.4f}" if bound else "-"
        row = (
            size,
            len(instance.requests),
            checked,
            bound if bound is not None else "-",
            ratio,
            f"{checked / baseline:.3f}" if baseline else "-",
            schedule["idle_gaps"],
            f"{seconds:.2f}",
            "yes" if not errors else f"NO ({len(errors)})",
        )
        print(" | ".join(f"{cell!s:>9}" for cell in row), flush=True)
        for error in errors[:5]:
            print(f"    {error}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
