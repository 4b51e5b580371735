"""Measure the B2B meeting engine: best objective, then idle gaps, on seeded days.

    python benchmarks/matching.py [--time-limit 10] [--days planted-1,planted-2,S,M,L,XL,stop]
                                  [--seed N] [--quick-limit 2] [--repeat 1]

The days: `planted-N`, 720 meetings (24 slots x 30 representatives, every
representative busy in every slot, every company's meetings back to back) plus decoy
requests, so that the optimum is known and reached with 0 idle gaps
(benchmarks/matching_days.py); S, M, L and XL, skewed demand with partial presence
(benchmarks/matching_instances.py); `stop`, 2,400 accepted requests and 80 representatives at
30 tables.

Each day is solved in a child process, which reports its peak memory (ru_maxrss:
OR-Tools allocates outside Python, so tracemalloc would miss it). Every schedule is
validated by the project's checker (and the contract's check.py when
../shared is beside the repository). "gap bound" is a proven lower bound on the idle
gaps of the schedule's set of meetings (0 unless the slotting model proves more). A
second table solves S and M again under a short limit (2 s by default): "optimal:
yes" there means the best objective was proven within it. `--repeat N` solves each
day N times (a row each), to show how much the figures move from run to run: the
idle-gap phase anneals until the time limit, so a loaded machine makes fewer moves.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from app.matching.engine.greedy import first_come_first_served
from app.matching.engine.instance import load_instance
from app.matching.engine.scoring import objective
from app.matching.engine.solver import solve_with_gap_bound
from benchmarks.contract_checks import check_match
from benchmarks.matching_days import planted_day, stop_day
from benchmarks.matching_instances import SIZES, generate

DAYS = ["planted-1", "planted-2", *SIZES, "stop"]
HEADER = (
    "day",
    "requests",
    "meetings",
    "objective",
    "bound",
    "known",
    "optimal",
    "vs fcfs",
    "gaps",
    "gap bound",
    "gaps/mtg",
    "seconds",
    "peak MiB",
    "valid",
)


def day_instance(name: str, seed: int) -> tuple[dict[str, Any], int | None]:
    if name.startswith("planted-"):
        return planted_day(int(name.removeprefix("planted-")))
    if name == "stop":
        return stop_day(seed), None
    return generate(name, seed), None


def measure(name: str, seed: int, time_limit: float) -> dict[str, Any]:
    """One solve, in this process: what a table row shows."""
    data, known = day_instance(name, seed)
    instance = load_instance(data)
    baseline = objective(instance, first_come_first_served(instance))
    started = time.monotonic()
    schedule, gap_bound = solve_with_gap_bound(instance, time_limit=time_limit)
    seconds = time.monotonic() - started
    errors, checked = check_match(data, schedule)
    meetings = len(schedule["meetings"])
    return {
        "row": [
            name,
            len(instance.requests),
            meetings,
            checked,
            schedule["upper_bound"] if schedule["upper_bound"] is not None else "-",
            known if known is not None else "-",
            "yes" if schedule["optimal"] else "no",
            f"{checked / baseline:.3f}" if baseline else "-",
            schedule["idle_gaps"],
            gap_bound,
            f"{schedule['idle_gaps'] / meetings:.3f}" if meetings else "-",
            f"{seconds:.2f}",
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            "yes" if not errors else f"NO ({len(errors)})",
        ],
        "errors": errors[:5],
    }


def in_child(name: str, seed: int, time_limit: float) -> dict[str, Any]:
    command = [sys.executable, __file__, "--one", name, "--seed", str(seed), "--time-limit", str(time_limit)]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {"row": [name, *["-"] * (len(HEADER) - 2), "CRASH"], "errors": done.stderr.splitlines()[-5:]}
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def table(title: str, days: list[str], seed: int, time_limit: float, repeat: int = 1) -> int:
    print(f"{title} (--time-limit {time_limit:g})")
    print(" | ".join(f"{h:>9}" for h in HEADER))
    failures = 0
    for name in [name for name in days for _ in range(repeat)]:
        result = in_child(name, seed, time_limit)
        failures += bool(result["errors"])
        print(" | ".join(f"{cell!s:>9}" for cell in result["row"]), flush=True)
        for error in result["errors"]:
            print(f"    {error}")
    print()
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--time-limit", type=float, default=10.0)
    parser.add_argument("--days", default=",".join(DAYS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--quick-limit", type=float, default=2.0, help="also solve S and M under this limit (0: skip)"
    )
    parser.add_argument("--repeat", type=int, default=1, help="solve each day this many times")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # the child: solve this day, print JSON
    args = parser.parse_args()
    if args.one:
        print(json.dumps(measure(args.one, args.seed, args.time_limit)))
        return 0
    days = args.days.split(",")
    failures = table("Every day", days, args.seed, args.time_limit, args.repeat)
    quick = [name for name in days if name in ("S", "M")]
    if args.quick_limit and quick:
        failures += table("Proof of optimality within the short limit", quick, args.seed, args.quick_limit)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
