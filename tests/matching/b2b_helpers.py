"""A stop with its B2B block set, two confirmed representatives and confirmed companies."""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.i18n import set_language
from app.stops.models import Stop
from tests.factories import b2b_invitation, b2b_registration, create_stop, csrf_token


@dataclass
class B2BStop:
    stop: Stop
    us: Any
    de: Any
    registrations: list[Any] = field(default_factory=list)


def b2b_stop(db_session: Session, *, companies: int = 3, **stop_values: Any) -> B2BStop:
    values: dict[str, Any] = {
        "b2b_first_slot": time(14, 0),
        "b2b_slot_minutes": 20,
        "b2b_slot_count": 4,
        "b2b_tables": 3,
    }
    values.update(stop_values)
    stop = create_stop(db_session, countries=("US", "DE"), **values)
    us = b2b_invitation(db_session, stop, country="US", sector_interests=["aerospace"])
    de = b2b_invitation(db_session, stop, country="DE", preferred_language="de")
    registrations = [b2b_registration(db_session, stop) for _ in range(companies)]
    return B2BStop(stop=stop, us=us, de=de, registrations=registrations)


def post_form(client: TestClient, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client)}, follow_redirects=False)


@pytest.fixture
def in_english() -> Iterator[None]:
    """Services translate their messages into the current language: read them in English."""
    set_language("en")
    yield
    set_language("it")
