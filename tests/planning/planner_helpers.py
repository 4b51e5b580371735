"""Shared steps of the planner tests: a fixed today, the default form trimmed to a few stops."""

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlmodel import Session

from app import clock
from app.planning.sources import default_form, load_reference
from tests.factories import create_user, csrf_token, sign_in_as

TODAY = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)
FEW_SECTORS = ("mechanics", "aerospace", "energy")


def fix_today() -> None:
    clock.set_source(lambda: TODAY)


def small_form(db_session: Session, **changes: str) -> dict[str, str]:
    """The planner's default form with one new stop in each of three sectors and none elsewhere."""
    form = default_form(load_reference(db_session=db_session), clock.today(), db_session=db_session)
    for key in form:
        if key.startswith("sector_stops."):
            form[key] = "1" if key.removeprefix("sector_stops.") in FEW_SECTORS else "0"
    form.update(changes)
    return form


def as_post(form: dict[str, str], token: str) -> dict[str, object]:
    """The form as a browser posts it: one value per ticked weekday checkbox."""
    data: dict[str, object] = {key: value for key, value in form.items() if key != "weekdays"}
    data["weekdays"] = [day for day in form.get("weekdays", "").split(",") if day]
    data["csrf_token"] = token
    return data


def signed_in_organiser(client: TestClient, db_session: Session) -> str:
    """Sign the client in as a fresh organiser; returns the form token."""
    fix_today()
    sign_in_as(client, create_user(db_session, role="organiser"))
    return csrf_token(client)
