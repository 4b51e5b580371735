"""The calendar planner as a job: the page waits for it, a newer plan outdoes an older one."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.jobs.models import Job, JobStatus
from app.planning import service
from app.planning.models import PlanningScenario, ScenarioStatus
from tests.jobs_helpers import run_pending, unit_sessions
from tests.planning.planner_helpers import as_post, signed_in_organiser, small_form


@pytest.fixture(autouse=True)
def short_time_limit(client: TestClient) -> None:
    client.app.state.settings.planner_time_limit = 5.0  # type: ignore[attr-defined]


def _create(client: TestClient, db_session: Session) -> tuple[PlanningScenario, str]:
    token = signed_in_organiser(client, db_session)
    response = client.post(
        "/manage/planning", data=as_post(small_form(db_session), token), follow_redirects=False
    )
    assert response.status_code == 303
    scenario = db_session.get(PlanningScenario, int(response.headers["location"].rsplit("/", 1)[1]))
    assert scenario is not None
    return scenario, token


def _jobs(db_session: Session, scenario: PlanningScenario) -> list[Job]:
    found = db_session.exec(select(Job).where(Job.scenario_id == scenario.id).order_by(col(Job.id))).all()
    for job in found:
        db_session.refresh(job)
    return list(found)


def test_a_plan_changed_while_it_is_solved_is_left_to_the_newer_job(
    client: TestClient, db_session: Session, connection: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario, _token = _create(client, db_session)
    assert scenario.status == ScenarioStatus.PLANNING and scenario.result is None
    solve = service.solve_instance
    changed = small_form(db_session, **{"sector_stops.fashion": "1"})

    def solve_while_the_organiser_edits(instance: dict[str, Any], **options: Any) -> dict[str, Any]:
        with unit_sessions(connection)() as other:  # the organiser saves new inputs meanwhile
            service.update_inputs(
                service.get(scenario.id or 0, db_session=other), changed, db_session=other, time_limit=5
            )
        monkeypatch.setattr(service, "solve_instance", solve)
        return solve(instance, **options)

    monkeypatch.setattr(service, "solve_instance", solve_while_the_organiser_edits)
    assert run_pending(connection) == 2
    first, second = _jobs(db_session, scenario)
    assert first.status == JobStatus.DONE and first.result == {"superseded": True}
    assert second.status == JobStatus.DONE and second.result == {"status": "planned"}
    db_session.refresh(scenario)
    assert scenario.status == ScenarioStatus.PLANNED and scenario.result is not None
    # The plan written is the newer inputs' one, with a fashion stop.
    assert scenario.inputs["sector_stops.fashion"] == "1"
    assert any(stop["sector"] == "fashion" for stop in scenario.result["stops"])


def test_a_failed_plan_says_why_and_stops_refreshing(
    client: TestClient, db_session: Session, connection: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    scenario, _token = _create(client, db_session)
    waiting = client.get(f"/manage/planning/{scenario.id}")
    assert 'http-equiv="refresh"' in waiting.text

    def broken(instance: dict[str, Any], **options: Any) -> dict[str, Any]:
        raise MemoryError("out of memory")

    monkeypatch.setattr(service, "solve_instance", broken)
    assert run_pending(connection) == 1
    page = client.get(f"/manage/planning/{scenario.id}")
    assert "Il pianificatore non è riuscito" in page.text and "MemoryError: out of memory" in page.text
    assert 'http-equiv="refresh"' not in page.text
