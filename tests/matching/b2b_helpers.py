"""A stop with its B2B block set, two confirmed representatives and confirmed companies.

The companies are small, of Varese, in aerospace, exporting 40%; the consuls are Ellison (US, who
looks for aerospace) and Weber (DE, who reads German).
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.companies.models import Registration
from app.consuls.models import Invitation
from app.i18n import set_language
from app.stops.models import Stop
from tests.factories import (
    create_company,
    create_invitation,
    create_registration,
    create_representative,
    create_stop,
    csrf_token,
)


@dataclass
class B2BStop:
    stop: Stop
    us: Invitation
    de: Invitation
    registrations: list[Registration] = field(default_factory=list)


def b2b_stop(db_session: Session, *, companies: int = 3, **stop_values: Any) -> B2BStop:
    values: dict[str, Any] = {"b2b_tables": 3, **stop_values}
    stop = create_stop(db_session, countries=("US", "DE"), b2b_slots=4, **values)
    ellison = create_representative(db_session, country="US", name="Consul Ellison")
    weber = create_representative(db_session, country="DE", name="Consul Weber", preferred_language="de")
    us = create_invitation(db_session, stop, ellison, status="confirmed", sector_interests=["aerospace"])
    de = create_invitation(db_session, stop, weber, status="confirmed")
    registrations = [
        create_registration(
            db_session, stop, create_company(db_session, province="VA", export_share=40), status="confirmed"
        )
        for _ in range(companies)
    ]
    return B2BStop(stop=stop, us=us, de=de, registrations=registrations)


def post_form(client: TestClient, url: str, data: dict[str, Any] | None = None) -> Any:
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client)}, follow_redirects=False)


@pytest.fixture
def in_english() -> Iterator[None]:
    """Services translate their messages into the current language: read them in English."""
    set_language("en")
    yield
    set_language("it")
