from fastapi.testclient import TestClient
from sqlmodel import Session

from app.stops.models import StopStatus
from tests.factories import create_stop


def test_calendar_groups_upcoming_stops_by_month_and_marks_past_ones(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200
    html = page.text
    assert "Prossime tappe" in html and "Tappe già svolte" in html
    assert "Dicembre 2026" in html  # the Monza stop, upcoming
    assert html.index("Prossime tappe") < html.index("Tappe già svolte")
    assert "Svolta" in html  # past stops are marked


def test_calendar_filter_by_sector_shows_only_that_sector(client: TestClient) -> None:
    html = client.get("/", params={"sector": "energy"}).text
    assert "Energia a Sondrio" in html
    assert "Meccanica a Bergamo" not in html


def test_calendar_with_unknown_filter_says_what_is_wrong(client: TestClient) -> None:
    page = client.get("/", params={"country": "XX"})
    assert page.status_code == 422
    assert "Paese sconosciuto &#39;XX&#39;" in page.text
    assert 'aria-invalid="true"' in page.text


def test_stop_page_shows_place_date_countries_and_seats(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session, capacity=42, countries=("IN", "AE"))
    db_session.commit()
    html = client.get(f"/stops/{stop.id}").text
    assert "Ville Ponti" in html
    assert "mercoledì 12 maggio 2027" in html
    assert "India" in html and "Emirati Arabi Uniti" in html
    assert "<strong>42</strong> / 42" in html


def test_language_switch_sets_a_cookie_and_returns_to_the_page(client: TestClient) -> None:
    response = client.get("/language/en", params={"next": "/?sector=energy"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/?sector=energy"
    assert "roadshow_lang=en" in response.headers["set-cookie"]
    html = client.get("/", params={"sector": "energy"}).text
    assert "Upcoming stops" in html and 'lang="en"' in html
    assert "June 2027" in html


def test_language_switch_never_redirects_off_site(client: TestClient) -> None:
    response = client.get("/language/it", params={"next": "//evil.example"}, follow_redirects=False)
    assert response.headers["location"] == "/"


def test_accept_language_chooses_english_without_a_cookie(client: TestClient) -> None:
    html = client.get("/", headers={"Accept-Language": "en-US,en;q=0.8"}).text
    assert "Roadshow calendar 2026–2027" in html


def test_missing_page_is_a_translated_404(client: TestClient) -> None:
    italian = client.get("/stops/987654")
    assert italian.status_code == 404
    assert "Pagina non trovata" in italian.text
    english = client.get("/nowhere", headers={"Accept-Language": "en"})
    assert english.status_code == 404 and "Page not found" in english.text


def test_cancelled_stop_page_says_so(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session, status=StopStatus.CANCELLED)
    db_session.commit()
    assert "Questa tappa è stata annullata." in client.get(f"/stops/{stop.id}").text


def test_pages_carry_security_headers(client: TestClient) -> None:
    headers = client.get("/").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
