"""The back office's broadcast actions say whom they write to; every page has an icon."""

from html import unescape

from fastapi.testclient import TestClient
from sqlmodel import Session

from tests.factories import (
    create_invitation,
    create_registration,
    create_stop,
    create_user,
    only_representatives_of,
    sign_in_as,
)


def test_cancelling_a_stop_counts_companies_and_consuls_apart(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session)
    for _ in range(2):
        create_registration(db_session, stop, status="confirmed")
    create_invitation(db_session, stop)
    sign_in_as(client, create_user(db_session, role="organiser"))
    page = unescape(client.get(f"/manage/stops/{stop.id}/cancel").text)
    assert "2 aziende iscritte e 1 rappresentante consolare invitato ricevono un'email" in page
    assert "data-confirmed-action" in page and 'name="reason"' in page


def test_inviting_in_bulk_names_the_representatives_first(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session, countries=("US", "DE"))
    only_representatives_of(db_session, "US", name="John Carter")
    only_representatives_of(db_session, "DE", count=0)
    sign_in_as(client, create_user(db_session, role="organiser"))
    assert (
        f'action="/manage/stops/{stop.id}/consuls/invite"'
        not in client.get(f"/manage/stops/{stop.id}/consuls").text
    )
    page = unescape(client.get(f"/manage/stops/{stop.id}/consuls/invite").text)
    assert "1 rappresentante consolare riceve l'invito via email" in page and "John Carter" in page
    assert "Invia gli inviti" in page


def test_favicon_is_served_and_linked(client: TestClient) -> None:
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200 and icon.headers["content-type"].startswith("image/svg+xml")
    assert "<svg" in icon.text
    assert '<link rel="icon" href="/static/favicon.svg"' in client.get("/").text
    assert client.get("/static/favicon.svg").status_code == 200
