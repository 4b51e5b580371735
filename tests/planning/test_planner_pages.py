"""The organisers' planner page: plan, explain, pin and re-plan, change, accept; organisers only."""

import re

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.audit.models import AuditEvent
from app.planning.models import PlanningScenario, ScenarioStatus
from app.stops.models import Stop, StopCountry, StopStatus
from tests.contract import assert_plan_valid
from tests.factories import create_user, csrf_token, sign_in_as
from tests.jobs_helpers import run_pending
from tests.planning.planner_helpers import as_post, fix_today, signed_in_organiser, small_form


@pytest.fixture(autouse=True)
def short_time_limit(client: TestClient) -> None:
    client.app.state.settings.planner_time_limit = 5.0  # type: ignore[attr-defined]


def plan(client: TestClient, db_session: Session, token: str, **changes: str) -> PlanningScenario:
    response = client.post(
        "/manage/planning", data=as_post(small_form(db_session, **changes), token), follow_redirects=False
    )
    assert response.status_code == 303, response.text
    waiting = client.get(response.headers["location"])
    assert "The planner is working" in waiting.text or "Il pianificatore sta lavorando" in waiting.text
    assert '<meta http-equiv="refresh" content="2;' in waiting.text
    assert run_pending(db_session.connection()) == 1
    scenario_id = int(response.headers["location"].rsplit("/", 1)[1])
    scenario = db_session.get(PlanningScenario, scenario_id)
    assert scenario is not None
    db_session.refresh(scenario)
    return scenario


def proposed_keys(html: str) -> list[str]:
    return re.findall(
        r'action="/manage/planning/\d+/pin" class="inline-form">.*?name="stop" value="([^"]+)"', html
    )


def test_planner_page_shows_the_default_inputs_to_organisers(client: TestClient, db_session: Session) -> None:
    signed_in_organiser(client, db_session)
    page = client.get("/manage/planning")
    assert page.status_code == 200
    assert 'name="window_start" type="date" value="2026-11-21"' in page.text
    assert "2026-08-01..2026-08-31" not in page.text and "2027-08-01..2027-08-31 Agosto" in page.text
    assert 'href="/manage/reference/interest"' in page.text
    assert "Sant&#39;Ambrogio" in page.text or "Sant'Ambrogio" in page.text


def test_planning_shows_the_calendar_and_table_with_scores_and_reasons(
    client: TestClient, db_session: Session
) -> None:
    token = signed_in_organiser(client, db_session)
    scenario = plan(client, db_session, token)
    assert scenario.status == ScenarioStatus.PLANNED
    assert scenario.instance is not None and scenario.result is not None
    assert_plan_valid(scenario.instance, scenario.result)
    client.cookies.set("roadshow_lang", "en")
    page = client.get(f"/manage/planning/{scenario.id}")
    assert page.status_code == 200
    assert '<table class="month">' in page.text and '<table class="plan-table">' in page.text
    assert f"<dd>{scenario.result['objective']}</dd>" in page.text
    assert "Yes, proven best" in page.text
    assert re.search(r"United States: survey interest \d of 5 for", page.text)
    assert len(proposed_keys(page.text)) == 3


def test_a_pinned_stop_is_kept_when_planning_again(client: TestClient, db_session: Session) -> None:
    token = signed_in_organiser(client, db_session)
    scenario = plan(client, db_session, token)
    page = client.get(f"/manage/planning/{scenario.id}")
    key = proposed_keys(page.text)[0]
    pinned = next(
        stop
        for stop in scenario.result["stops"]
        if f"{stop['date']}/{stop['sector']}/{stop['territory']}" == key
    )
    assert (
        client.post(
            f"/manage/planning/{scenario.id}/pin", data={"stop": key, "csrf_token": token}
        ).status_code
        == 200
    )
    # Plan again with one more stop to place: the pinned one stays where it is.
    form = small_form(db_session, **{"sector_stops.fashion": "1"})
    response = client.post(
        f"/manage/planning/{scenario.id}", data=as_post(form, token), follow_redirects=False
    )
    assert response.status_code == 303
    assert run_pending(db_session.connection()) == 1
    db_session.refresh(scenario)
    assert scenario.status == ScenarioStatus.PLANNED
    assert scenario.held == [
        {**{k: pinned[k] for k in ("sector", "territory", "date", "countries")}, "how": "pinned"}
    ]
    kept = [stop for stop in scenario.result["stops"] if stop["date"] == pinned["date"]]
    assert (
        kept and kept[0]["countries"] == pinned["countries"] and kept[0]["territory"] == pinned["territory"]
    )
    assert {k: v for k, v in pinned.items() if k not in ("score", "reasons")} in scenario.instance["fixed"]
    assert len(scenario.result["stops"]) == len(scenario.instance["fixed"]) + 3
    assert_plan_valid(scenario.instance, scenario.result)


def test_a_changed_stop_is_kept_as_set_and_the_rest_planned_around_it(
    client: TestClient, db_session: Session
) -> None:
    token = signed_in_organiser(client, db_session)
    scenario = plan(client, db_session, token)
    key = proposed_keys(client.get(f"/manage/planning/{scenario.id}").text)[0]
    form = client.get(f"/manage/planning/{scenario.id}/change", params={"stop": key})
    assert form.status_code == 200
    changed = {
        "stop": key,
        "sector": "fashion",
        "territory": "CO",
        "date": "2027-05-12",
        "countries": ["FR", "CN"],
        "csrf_token": token,
    }
    assert (
        client.post(
            f"/manage/planning/{scenario.id}/change", data=changed, follow_redirects=False
        ).status_code
        == 303
    )
    assert run_pending(db_session.connection()) == 1
    db_session.refresh(scenario)
    stop = {"sector": "fashion", "territory": "CO", "date": "2027-05-12", "countries": ["FR", "CN"]}
    assert stop in [{k: s[k] for k in stop} for s in scenario.result["stops"]]
    assert scenario.held[-1] == {**stop, "how": "changed"}
    assert scenario.inputs["sector_stops.fashion"] == "1"


def test_a_bad_change_is_shown_again_with_its_messages(client: TestClient, db_session: Session) -> None:
    token = signed_in_organiser(client, db_session)
    scenario = plan(client, db_session, token)
    key = proposed_keys(client.get(f"/manage/planning/{scenario.id}").text)[0]
    bad = {"stop": key, "sector": "fashion", "territory": "CO", "date": "12/05/2027", "csrf_token": token}
    page = client.post(f"/manage/planning/{scenario.id}/change", data=bad)
    assert page.status_code == 422
    assert 'id="field-date-error">Inserisca una data nel formato AAAA-MM-GG.' in page.text
    assert "Scelga almeno un paese." in page.text


def test_accepting_creates_the_new_stops_as_audited_drafts(client: TestClient, db_session: Session) -> None:
    token = signed_in_organiser(client, db_session)
    scenario = plan(client, db_session, token)
    before = set(db_session.exec(select(Stop.id)))
    response = client.post(
        f"/manage/planning/{scenario.id}/accept", data={"csrf_token": token}, follow_redirects=False
    )
    assert (response.status_code, response.headers["location"]) == (303, "/manage/stops")
    drafts = list(db_session.exec(select(Stop).where(col(Stop.id).not_in(before))))
    assert len(drafts) == 3 and all(stop.status == StopStatus.DRAFT for stop in drafts)
    proposed = {(s["sector"], s["territory"], s["date"]): s["countries"] for s in scenario.result["stops"]}
    for stop in drafts:
        countries = [
            link.country_code
            for link in db_session.exec(
                select(StopCountry).where(StopCountry.stop_id == stop.id).order_by(col(StopCountry.position))
            )
        ]
        assert proposed[(stop.sector_slug, stop.territory_code, stop.stop_date.isoformat())] == countries
        assert (
            stop.title_it.startswith("Roadshow Internazionalizzazione – ")
            and f" a {stop.city}" in stop.title_it
        )
        assert (
            stop.title_en.startswith("Internationalisation Roadshow – ")
            and f" in {stop.city}" in stop.title_en
        )
        assert "Venue to be confirmed" in stop.venue and "Sede da confermare" in stop.venue
        event = db_session.exec(
            select(AuditEvent).where(AuditEvent.entity_type == "stop", AuditEvent.entity_id == str(stop.id))
        ).one()
        assert event.action == "create" and event.after["planning_scenario"] == scenario.id
    db_session.refresh(scenario)
    assert scenario.status == ScenarioStatus.ACCEPTED
    again = client.post(f"/manage/planning/{scenario.id}/accept", data={"csrf_token": token})
    assert again.status_code == 409


def test_inputs_that_cannot_all_hold_show_the_explanation_next_to_the_inputs(
    client: TestClient, db_session: Session
) -> None:
    token = signed_in_organiser(client, db_session)
    scenario = plan(client, db_session, token, **{"country_min.SA": "12"})
    assert scenario.status == ScenarioStatus.INFEASIBLE and scenario.result is None
    page = client.get(f"/manage/planning/{scenario.id}")
    assert "I vincoli non possono valere tutti insieme" in page.text
    assert "Arabia Saudita deve essere presente in 12 tappe, ma il piano ne ha solo 8." in page.text
    assert "Saudi Arabia" not in page.text and "must be featured" not in page.text
    assert scenario.explanation and isinstance(scenario.explanation[0], dict)
    english = client.get(f"/manage/planning/{scenario.id}", headers={"Accept-Language": "en"}).text
    assert "Saudi Arabia must be featured at 12 stops, but the plan has only 8." in english
    explanation_at = page.text.index('id="explanation"')
    assert explanation_at < page.text.index('name="country_min.SA"')
    assert '<details class="inputs-panel" open>' in page.text


def test_bad_inputs_are_shown_again_with_messages_next_to_the_fields(
    client: TestClient, db_session: Session
) -> None:
    token = signed_in_organiser(client, db_session)
    form = small_form(db_session, window_end="2026-01-01", **{"country_max.US": "x"})
    page = client.post("/manage/planning", data=as_post(form, token))
    assert page.status_code == 422
    assert 'aria-invalid="true" aria-describedby="field-window_end-error"' in page.text
    assert "Il periodo non può finire prima di cominciare." in page.text
    assert 'id="field-country_max-US-error">Inserisca un numero intero non inferiore a 0.' in page.text
    assert 'value="x"' in page.text
    assert db_session.exec(select(PlanningScenario)).first() is None


def test_only_organisers_may_use_the_planner(client: TestClient, db_session: Session) -> None:
    fix_today()
    anonymous = client.get("/manage/planning", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    sign_in_as(client, create_user(db_session, role="company"))
    token = csrf_token(client)
    assert client.get("/manage/planning").status_code == 403
    assert client.post("/manage/planning", data=as_post(small_form(db_session), token)).status_code == 403
    assert client.post("/manage/planning/1/accept", data={"csrf_token": token}).status_code == 403


def test_an_italian_page_shows_no_english_explanation_and_old_sentences_still_display(
    client: TestClient, db_session: Session
) -> None:
    """Every reason the engine can give reads in Italian; scenarios stored as sentences show as such."""
    from app.planning import explanations
    from app.planning.engine import why
    from app.planning.sources import load_reference

    token = signed_in_organiser(client, db_session)
    scenario = plan(client, db_session, token, **{"country_min.SA": "12"})
    examples = [
        why.reason("fixed_closed_date", fixed=0, date="2026-04-07"),
        why.reason(
            "fixed_not_open",
            fixed=1,
            date="2026-04-11",
            closed={"why": "weekday", "weekday": "Saturday", "weekday_index": 5},
        ),
        why.reason(
            "fixed_not_open",
            fixed=1,
            date="2026-08-11",
            closed={"why": "blackout", "start": "2026-08-01", "end": "2026-08-31"},
        ),
        why.reason("fixed_territory_unavailable", fixed=0, territory="VA", date="2026-03-10"),
        why.reason("fixed_country_count", fixed=0, count=5, low=2, high=4),
        why.reason("fixed_country_unavailable", fixed=0, country="US", date="2026-07-01"),
        why.reason("fixed_too_close", first="2026-04-22", second="2026-04-29", gap=14),
        why.reason("fixed_sector_excess", count=3, sector="aerospace", stops=2),
        why.reason("fixed_territory_excess", count=3, territory="VA", limit=2),
        why.reason("fixed_country_excess", country="US", count=9, limit=8),
        why.reason("territory_capacity", room=3, needed=4),
        why.reason("too_few_countries", low=3, listed=2),
        why.reason("country_places_short", needed=40, stops=8, high=4),
        why.reason("country_room_short", stops=8, low=3, room=20),
        why.reason("country_min_exceeds_plan", country="SA", min=12, stops=8),
        why.reason("no_usable_date", start="2026-02-01", end="2026-03-01"),
        why.reason("spacing", stops=8, gap=14, fit=5, start="2026-02-01", end="2026-05-01"),
        why.reason("max_spacing_stretch", most=30, first="2026-02-01", last="2026-03-01", fit=2, stops=8),
        why.reason("fixed_split_by_gaps", most=30),
        why.reason("country_dates", country="US", min=3, fit=2, gap=14),
        why.reason("calendar_impossible", start="2026-02-01", end="2026-03-01"),
        why.reason("families_conflict", families=["min_spacing", "fixed"], uncertain=True),
        why.reason("families_conflict", families=["closed_dates"], uncertain=False),
        why.reason("time_limit", seconds=5.0),
    ]
    scenario.explanation = [*examples, "an old English sentence"]
    db_session.add(scenario)
    db_session.commit()
    page = client.get(f"/manage/planning/{scenario.id}").text
    reference = load_reference(db_session=db_session)
    said = explanations.lines(scenario.explanation, reference)
    assert [line.english for line in said] == [False] * len(examples) + [True]
    for example, line in zip(examples, said, strict=False):
        sentence = why.english(example)
        assert sentence not in page and sentence[:25] not in page, sentence
        assert line.text in page.replace("&#39;", "'")
    assert '<li lang="en">an old English sentence</li>' in page
