import json
from pathlib import Path

from app.planning.engine.command import run

DATA = Path(__file__).resolve().parent / "data"


def write(tmp_path: Path, data: object) -> str:
    path = tmp_path / "instance.json"
    path.write_text(json.dumps(data))
    return str(path)


def tiny() -> dict:
    return json.loads((DATA / "tiny-plan.json").read_text())


def test_valid_instance_prints_the_plan_and_exits_0(capsys):
    assert run(str(DATA / "tiny-plan.json"), 5.0, None) == 0
    plan = json.loads(capsys.readouterr().out)
    assert plan["format"] == "roadshow.plan-result/1"
    assert plan["optimal"] is True


def test_output_option_writes_the_plan_to_a_file(tmp_path, capsys):
    out = tmp_path / "plan.json"
    assert run(str(DATA / "tiny-plan.json"), 5.0, str(out)) == 0
    assert capsys.readouterr().out == ""
    assert len(json.loads(out.read_text())["stops"]) == 4


def test_invalid_instance_exits_2_with_one_line_per_problem(tmp_path, capsys):
    data = tiny()
    data["weekdays"] = ["tues"]
    data["countries"][0]["min_stops"] = -1
    assert run(write(tmp_path, data), 5.0, None) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "weekdays[0]: unknown weekday 'tues'",
        "countries[0].min_stops: must be an integer of at least 0",
    ]


def test_unreadable_or_non_json_file_exits_2(tmp_path, capsys):
    broken = tmp_path / "broken.json"
    broken.write_text("{not json")
    assert run(str(broken), 5.0, None) == 2
    assert run(str(tmp_path / "absent.json"), 5.0, None) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "not JSON" in captured.err and "cannot read" in captured.err


def test_infeasible_instance_exits_3_with_the_explanation(tmp_path, capsys):
    data = tiny()
    data["territories"][1]["max_stops"] = 0
    assert run(write(tmp_path, data), 5.0, None) == 3
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "territory limits allow 3 stops but the sectors need 4" in captured.err
