import json
from pathlib import Path

import pytest

from app.matching.engine.command import run
from tests.matching.matching_helpers import tiny_instance


def write(tmp_path: Path, data: object) -> str:
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(data))
    return str(path)


def test_valid_instance_prints_the_schedule_and_exits_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(write(tmp_path, tiny_instance()), 2.0, None) == 0
    assert json.loads(capsys.readouterr().out)["format"] == "roadshow.schedule/1"


def test_output_file_receives_the_schedule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out.json"
    assert run(write(tmp_path, tiny_instance()), 2.0, str(out)) == 0
    assert json.loads(out.read_text())["objective"] > 0
    assert capsys.readouterr().out == ""


def test_invalid_instance_exits_2_with_one_line_per_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(write(tmp_path, tiny_instance(tables=0, format="x")), 2.0, None) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "format: expected 'roadshow.match/1'",
        "tables: must be an integer >= 1",
    ]


def test_unreadable_or_non_json_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(str(tmp_path / "missing.json"), 2.0, None) == 2
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert run(str(bad), 2.0, None) == 2
    assert capsys.readouterr().out == ""


def test_clashing_locked_meetings_exit_3_with_the_explanation(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tiny_instance(
        locked=[
            {"company": "c1", "representative": "us", "slot": "14:20"},
            {"company": "c2", "representative": "us", "slot": "14:20"},
        ]
    )
    assert run(write(tmp_path, data), 2.0, None) == 3
    assert "both put representative us in slot 14:20" in capsys.readouterr().err
