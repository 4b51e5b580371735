"""The few-second cache of public pages for anonymous visitors."""

from collections.abc import Iterator

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.stops.models import Stop
from tests.factories import create_stop, create_user, organiser_token, sign_in_as


@pytest.fixture
def cached_client(app: FastAPI, settings: object) -> Iterator[TestClient]:
    from app.config import Settings
    from app.main import create_app

    assert isinstance(settings, Settings)
    cached = create_app(settings.model_copy(update={"public_cache_seconds": 60}))
    cached.dependency_overrides.update(app.dependency_overrides)
    with TestClient(cached) as client:
        yield client


def _rename(db_session: Session, stop: Stop, title: str) -> None:
    stop.title_it = title
    db_session.add(stop)
    db_session.commit()


def test_anonymous_visitors_get_the_page_rendered_moments_ago(
    cached_client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, title_it="Prima versione")
    db_session.commit()
    assert "Prima versione" in cached_client.get(f"/stops/{stop.id}").text
    _rename(db_session, stop, "Seconda versione")
    assert "Prima versione" in cached_client.get(f"/stops/{stop.id}").text
    english = cached_client.get(f"/stops/{stop.id}", headers={"Accept-Language": "en"})
    assert "Test stop" in english.text  # each language has its own entry


def test_signed_in_people_and_api_tokens_always_get_fresh_answers(
    cached_client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, title_it="Prima versione")
    db_session.commit()
    cached_client.get(f"/stops/{stop.id}")
    cached_client.get(f"/api/stops/{stop.id}")
    _rename(db_session, stop, "Seconda versione")
    headers = organiser_token(cached_client, db_session)
    assert cached_client.get(f"/api/stops/{stop.id}", headers=headers).json()["title"] == "Seconda versione"
    sign_in_as(cached_client, create_user(db_session, role="organiser"))
    db_session.commit()
    assert "Seconda versione" in cached_client.get(f"/stops/{stop.id}").text


def test_errors_and_other_paths_are_never_kept(cached_client: TestClient, db_session: Session) -> None:
    assert cached_client.get("/api/stops", params={"sector": "nope"}).status_code == 422
    stop = create_stop(db_session)
    db_session.commit()
    assert cached_client.get(f"/stops/{stop.id}/register").status_code in (200, 303, 409)
    assert cached_client.get("/api/stops", params={"sector": "aerospace"}).status_code == 200
