"""Measure the B2B meeting engine on seeded instances of growing size.

    python benchmarks/matching.py [--time-limit 10] [--sizes S,M,L,XL] [--seed N] [--quick-limit 2]

Each schedule is validated by the project's checker (and the contract's check.py when
../shared is beside the repository); the table shows how close
the objective is to the proven bound and how much better it is than booking the
requests first come, first served. A second table solves S and M again under a short limit
(2 s by default): "optimal: yes" there means the best objective was proven within it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.matching.engine.greedy import first_come_first_served
from app.matching.engine.instance import load_instance
from app.matching.engine.scoring import objective
from app.matching.engine.solver import solve
from benchmarks.contract_checks import check_match
from benchmarks.matching_instances import SIZES, generate

HEADER = (
    "size",
    "requests",
    "objective",
    "bound",
    "obj/bound",
    "obj/fcfs",
    "optimal",
    "gaps",
    "seconds",
    "valid",
)


def measure(size: str, seed: int, time_limit: float) -> tuple[tuple[object, ...], list[str]]:
    """One solve of a generated instance: its table row and the checkers' complaints."""
    data = generate(size, seed)
    instance = load_instance(data)
    baseline = objective(instance, first_come_first_served(instance))
    started = time.monotonic()
    schedule = solve(instance, time_limit=time_limit)
    seconds = time.monotonic() - started
    errors, checked = check_match(data, schedule)
    bound = schedule["upper_bound"]
    row = (
        size,
        len(instance.requests),
        checked,
        bound if bound is not None else "-",
        f"{checked / bound:.4f}" if bound else "-",
        f"{checked / baseline:.3f}" if baseline else "-",
        "yes" if schedule["optimal"] else "no",
        schedule["idle_gaps"],
        f"{seconds:.2f}",
        "yes" if not errors else f"NO ({len(errors)})",
    )
    return row, errors


def table(title: str, sizes: list[str], seed: int, time_limit: float) -> int:
    print(f"{title} (--time-limit {time_limit:g})")
    print(" | ".join(f"{h:>9}" for h in HEADER))
    failures = 0
    for size in sizes:
        row, errors = measure(size, seed, time_limit)
        failures += bool(errors)
        print(" | ".join(f"{cell!s:>9}" for cell in row), flush=True)
        for error in errors[:5]:
            print(f"    {error}")
    print()
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--sizes", default=",".join(SIZES))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--quick-limit", type=float, default=2.0, help="also solve S and M under this limit (0: skip)"
    )
    args = parser.parse_args()
    sizes = args.sizes.split(",")
    failures = table("Every size", sizes, args.seed, args.time_limit)
    quick = [size for size in sizes if size in ("S", "M")]
    if args.quick_limit and quick:
        failures += table("Proof of optimality within the short limit", quick, args.seed, args.quick_limit)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
