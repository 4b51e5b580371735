from fastapi.testclient import TestClient
from sqlmodel import Session

from app.stops.models import StopStatus
from tests.factories import create_stop


def test_lists_the_published_demo_roadshow_with_codes(client: TestClient) -> None:
    response = client.get("/api/stops")
    assert response.status_code == 200
    stops = response.json()
    assert len(stops) == 9
    assert {s["sector"] for s in stops} == {
        "advanced-manufacturing",
        "technological-innovation",
        "artificial-intelligence",
        "mechanics",
        "aerospace",
        "energy",
        "fashion",
        "technical-textiles",
        "construction",
    }
    dates = [s["date"] for s in stops]
    assert dates == sorted(dates)
    first = stops[0]
    assert first["territory"] == "BG"
    assert first["countries"] == ["US", "DE", "IN", "CN"]
    assert first["seats_left"] == first["capacity"]


def test_filter_by_sector_returns_only_that_sector(client: TestClient, db_session: Session) -> None:
    create_stop(db_session, sector_slug="aerospace", territory_code="VA")
    db_session.commit()
    stops = client.get("/api/stops", params={"sector": "aerospace"}).json()
    assert len(stops) == 2
    assert all(s["sector"] == "aerospace" for s in stops)


def test_filters_by_country_and_territory(client: TestClient) -> None:
    by_country = client.get("/api/stops", params={"country": "SA"}).json()
    assert by_country and all("SA" in s["countries"] for s in by_country)
    by_territory = client.get("/api/stops", params={"territory": "BG"}).json()
    assert [s["territory"] for s in by_territory] == ["BG"]
    lower_case = client.get("/api/stops", params={"country": "sa"}).json()
    assert lower_case == by_country


def test_unknown_filter_values_get_422_naming_each_field(client: TestClient) -> None:
    response = client.get("/api/stops", params={"sector": "nope", "territory": "ZZ"})
    assert response.status_code == 422
    fields = {error["field"]: error["msg"] for error in response.json()["detail"]}
    assert set(fields) == {"sector", "territory"}
    assert "nope" in fields["sector"]


def test_drafts_never_show_and_a_cancelled_stop_keeps_its_page(
    client: TestClient, db_session: Session
) -> None:
    draft = create_stop(db_session, status=StopStatus.DRAFT)
    cancelled = create_stop(db_session, status=StopStatus.CANCELLED)
    db_session.commit()
    ids = {s["id"] for s in client.get("/api/stops").json()}
    assert draft.id not in ids and cancelled.id not in ids
    assert client.get(f"/api/stops/{draft.id}").status_code == 404
    assert client.get(f"/api/stops/{cancelled.id}").json()["status"] == "cancelled"


def test_one_stop_gives_capacity_seats_and_countries(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session, capacity=30, countries=("FR", "ES", "BR"))
    db_session.commit()
    body = client.get(f"/api/stops/{stop.id}").json()
    assert body["capacity"] == 30
    assert body["seats_left"] == 30
    assert body["countries"] == ["FR", "ES", "BR"]
    assert body["sector"] == "aerospace" and body["territory"] == "VA"
    assert body["date"] == "2027-05-12"


def test_unknown_stop_is_404_json_and_bad_id_is_422(client: TestClient) -> None:
    missing = client.get("/api/stops/999999")
    assert missing.status_code == 404
    assert "detail" in missing.json()
    assert client.get("/api/stops/abc").status_code == 422


def test_names_follow_the_language(client: TestClient) -> None:
    italian = client.get("/api/stops", params={"territory": "BG"}).json()[0]
    english = client.get(
        "/api/stops", params={"territory": "BG"}, headers={"Accept-Language": "en-GB,en;q=0.9"}
    ).json()[0]
    assert italian["country_names"]["US"] == "Stati Uniti"
    assert english["country_names"]["US"] == "United States"
    assert italian["sector_name"] == "Meccanica" and english["sector_name"] == "Mechanics"


def test_healthz_answers_ok(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_oversized_body_gets_413(client: TestClient) -> None:
    response = client.post(
        "/api/stops", content=b"x" * (1024 * 1024 + 1), headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_stop_times_match_the_schema_the_api_publishes(client: TestClient) -> None:
    """Found by schemathesis: "09:30:00" is not a JSON Schema "time", which needs an offset."""
    import re

    schema = client.get("/openapi.json").json()["components"]["schemas"]["StopPublic"]["properties"]
    stop = client.get("/api/stops").json()[0]
    for name in ("start_time", "end_time"):
        assert "format" not in schema[name]
        assert re.fullmatch(schema[name]["pattern"], stop[name]), stop[name]
