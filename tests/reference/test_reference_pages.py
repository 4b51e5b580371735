"""Organisers edit sector names, provinces' scores and survey interest, checked and audited."""

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.reference.models import Sector, SectorInterest, Territory, TerritorySector
from tests.factories import create_user, csrf_token, sign_in_as


def organiser(client: TestClient, db_session: Session) -> str:
    sign_in_as(client, create_user(db_session))
    db_session.commit()
    return csrf_token(client)


def form_of(html: str) -> dict[str, str]:
    """The text and number inputs of a page, as a browser would send them unchanged."""
    import re

    return dict(re.findall(r'<input id="field-[^"]+" name="([^"]+)"[^>]*?value="([^"]*)"', html))


def test_sector_names_are_edited_and_an_empty_name_is_refused_next_to_its_field(
    client: TestClient, db_session: Session
) -> None:
    token = organiser(client, db_session)
    values = form_of(client.get("/manage/reference/sectors").text)
    assert values["name_it-aerospace"] == "Aerospazio"
    values.update({"name_en-aerospace": "Aerospace & defence", "csrf_token": token})
    assert client.post("/manage/reference/sectors", data=values, follow_redirects=False).status_code == 303
    db_session.expire_all()
    sector = db_session.get(Sector, "aerospace")
    assert sector is not None and sector.name_en == "Aerospace & defence"
    event = db_session.exec(select(AuditEvent).where(AuditEvent.entity_type == "sector")).one()
    assert event.before == {"name_en": "Aerospace"} and event.after == {"name_en": "Aerospace & defence"}

    values["name_it-energy"] = " "
    response = client.post("/manage/reference/sectors", data=values)
    assert response.status_code == 422
    assert (
        'id="field-name_it-energy-error"' in response.text and "Questo campo è obbligatorio." in response.text
    )


def test_a_province_gets_its_association_affinity_and_strengths(
    client: TestClient, db_session: Session
) -> None:
    token = organiser(client, db_session)
    values = form_of(client.get("/manage/reference/territories/VA").text)
    values.update({"affinity-fashion": "4", "strength-fashion": "on", "csrf_token": token})
    response = client.post("/manage/reference/territories/VA", data=values, follow_redirects=False)
    assert response.status_code == 303
    db_session.expire_all()
    row = db_session.get(TerritorySector, ("VA", "fashion"))
    assert row is not None and row.affinity == 4 and row.strength
    # Strengths not ticked are no longer strengths, as a browser sends only ticked boxes.
    assert not any(
        r.strength
        for r in db_session.exec(select(TerritorySector).where(TerritorySector.territory_code == "VA"))
        if r.sector_slug != "fashion"
    )
    event = db_session.exec(select(AuditEvent).where(AuditEvent.entity_type == "territory")).one()
    assert event.after is not None and event.after["affinity"]["fashion"] == 4

    bad = {**values, "affinity-energy": "7", "association": "", "association_url": "ftp://x"}
    response = client.post("/manage/reference/territories/VA", data=bad)
    assert response.status_code == 422
    for field in ("affinity-energy", "association", "association_url"):
        assert f'id="field-{field}-error"' in response.text
    territory = db_session.get(Territory, "VA")
    assert territory is not None and territory.association == values["association"]
    assert client.get("/manage/reference/territories/ZZ").status_code == 404


def test_survey_interest_grid_saves_changed_cells_only(client: TestClient, db_session: Session) -> None:
    token = organiser(client, db_session)
    values = form_of(client.get("/manage/reference/interest").text)
    assert len([k for k in values if k.startswith("score-")]) == 9 * 10
    old = int(values["score-aerospace-US"])
    values.update({"score-aerospace-US": str((old + 1) % 6), "csrf_token": token})
    assert client.post("/manage/reference/interest", data=values, follow_redirects=False).status_code == 303
    db_session.expire_all()
    row = db_session.get(SectorInterest, ("aerospace", "US"))
    assert row is not None and row.score == (old + 1) % 6
    event = db_session.exec(select(AuditEvent).where(AuditEvent.entity_type == "sector_interest")).one()
    assert event.after == {"aerospace/US": (old + 1) % 6}

    values["score-energy-DE"] = "x"
    response = client.post("/manage/reference/interest", data=values)
    assert response.status_code == 422 and 'id="field-score-energy-DE-error"' in response.text


def test_reference_pages_are_for_organisers_only(client: TestClient, db_session: Session) -> None:
    assert client.get("/manage/reference/interest", follow_redirects=False).status_code == 303
    sign_in_as(client, create_user(db_session, role="company", password=None))
    db_session.commit()
    assert client.get("/manage/reference").status_code == 403
