"""A stop's registrations table comes in pages; the filters stay on every page link, the
counts and the exports cover every registration."""

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.companies import listing
from tests.factories import create_company, create_registration, create_stop, create_user, sign_in_as


def test_the_table_is_paged_with_the_filters_kept_and_the_exports_complete(
    client: TestClient, db_session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(listing, "PER_PAGE", 2)
    stop = create_stop(db_session, capacity=10)
    for n in range(5):
        create_registration(
            db_session, stop, create_company(db_session, name=f"Azienda {n}"), status="confirmed"
        )
    create_registration(
        db_session, stop, create_company(db_session, name="Waiting"), status="waitlisted", waitlist_position=1
    )
    organiser = create_user(db_session, role="organiser")
    db_session.commit()
    sign_in_as(client, organiser)
    client.cookies.set("roadshow_lang", "en")
    url = f"/manage/stops/{stop.id}/registrations"

    first = client.get(url, params={"status": "confirmed", "sort": "company"})
    assert first.status_code == 200
    assert "5 registrations · showing 1–2" in first.text
    assert first.text.count('class="company-name"') == 2
    assert "Azienda 0" in first.text and "Azienda 2" not in first.text
    assert "1 on the waiting list" in first.text  # counts are of the whole stop
    assert f'href="{url}?status=confirmed&amp;sort=company&amp;page=2"' in first.text

    last = client.get(url, params={"status": "confirmed", "sort": "company", "page": "3"})
    assert "showing 5–5" in last.text and "Azienda 4" in last.text
    assert 'aria-current="page"><span class="visually-hidden">Page </span>3<' in last.text
    assert client.get(url, params={"page": "99"}).text.count('class="company-name"') == 2  # the last page
    assert client.get(url, params={"page": "x"}).status_code == 200

    exported = client.get(f"{url}.csv", params={"status": "confirmed", "page": "2"})
    assert len(list(csv.DictReader(io.StringIO(exported.text.lstrip("\ufeff"))))) == 5
