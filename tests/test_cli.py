"""The `roadshow` console script answers as the contract fixes it."""

import json
import subprocess
import sys
from pathlib import Path

from app.config import ROOT
from tests.contract import (
    SHARED_CHECK,
    assert_plan_valid,
    assert_schedule_valid,
    example,
    example_path,
    shared_available,
)


def roadshow(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, cwd=ROOT)


def test_match_writes_a_schedule_that_check_py_accepts(tmp_path: Path) -> None:
    out = tmp_path / "schedule.json"
    done = roadshow("match", str(example_path("match-small")), "--time-limit", "5", "-o", str(out))
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    schedule = json.loads(out.read_text())
    assert_schedule_valid(example("match-small"), schedule)
    assert schedule["objective"] == 366
    if shared_available():
        checked = subprocess.run(
            [sys.executable, str(SHARED_CHECK), "match", str(example_path("match-small")), str(out)],
            capture_output=True,
            text=True,
        )
        assert checked.returncode == 0 and checked.stdout.strip().endswith("objective 366")


def test_plan_prints_the_plan_on_stdout(tmp_path: Path) -> None:
    done = roadshow("plan", str(example_path("plan-small")), "--time-limit", "10")
    assert done.returncode == 0, done.stderr
    plan = json.loads(done.stdout)
    assert_plan_valid(example("plan-small"), plan)
    assert plan["objective"] == 177


def test_invalid_instance_exits_2_with_one_line_per_problem_and_nothing_on_stdout(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "format": "roadshow.match/1",
                "slots": ["14:00"],
                "tables": 1,
                "companies": [{"id": "c1"}],
                "representatives": [],
                "requests": [{"company": "c1", "representative": "xx"}],
            }
        )
    )
    done = roadshow("match", str(bad))
    assert done.returncode == 2
    assert done.stdout == ""
    assert "requests[0].representative: unknown id 'xx'" in done.stderr.splitlines()


def test_plan_with_too_few_dates_exits_3_explaining_why(tmp_path: Path) -> None:
    instance = example("plan-small")
    instance["end"] = "2026-03-01"
    path = tmp_path / "tight.json"
    path.write_text(json.dumps(instance))
    done = roadshow("plan", str(path), "--time-limit", "5")
    assert done.returncode == 3
    assert done.stdout == "" and done.stderr.strip()
