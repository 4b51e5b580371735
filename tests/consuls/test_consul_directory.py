from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.audit.models import AuditEvent
from app.consuls.models import Consulate, Representative
from tests.factories import create_consulate, create_representative, create_user, csrf_token, sign_in_as

ENGLISH = {"Accept-Language": "en"}


def _organiser(client: TestClient, db_session: Session) -> None:
    user = create_user(db_session, role="organiser")
    db_session.commit()
    sign_in_as(client, user)


def test_organiser_sees_the_seeded_consular_corps(client: TestClient, db_session: Session) -> None:
    _organiser(client, db_session)
    page = client.get("/manage/consuls", headers=ENGLISH)
    assert page.status_code == 200
    assert "Consulate General of the United States of America in Milan" in page.text
    assert "Margaret Ellison" in page.text


def test_consular_corps_is_for_organisers_only(client: TestClient, db_session: Session) -> None:
    anonymous = client.get("/manage/consuls", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    consul = create_user(db_session, role="consul", password=None)  # type: ignore[arg-type]
    db_session.commit()
    sign_in_as(client, consul)
    assert client.get("/manage/consuls").status_code == 403


def test_organiser_creates_a_consulate_and_the_change_is_audited(
    client: TestClient, db_session: Session
) -> None:
    _organiser(client, db_session)
    response = client.post(
        "/manage/consuls",
        data={
            "country_code": "ca",
            "kind": "consulate",
            "name_it": "Consolato del Canada",
            "name_en": "Consulate of Canada",
            "address": "Piazza Cavour 3, Milano",
            "website": "https://canada.example.org",
            "csrf_token": csrf_token(client),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    consulate = db_session.exec(select(Consulate).where(Consulate.name_en == "Consulate of Canada")).one()
    assert consulate.country_code == "CA" and consulate.active
    event = db_session.exec(
        select(AuditEvent).where(
            AuditEvent.entity_type == "consulate", AuditEvent.entity_id == str(consulate.id)
        )
    ).one()
    assert event.action == "create" and event.after and event.after["name_it"] == "Consolato del Canada"


def test_bad_consulate_form_is_shown_again_with_a_message_per_field(
    client: TestClient, db_session: Session
) -> None:
    _organiser(client, db_session)
    response = client.post(
        "/manage/consuls",
        data={
            "country_code": "XX",
            "kind": "embassy",
            "name_it": "",
            "name_en": "Something",
            "website": "ftp://x",
        },
        headers={**ENGLISH, "x-csrf-token": csrf_token(client)},
    )
    assert response.status_code == 422
    assert "Unknown country &#39;XX&#39;" in response.text
    assert "Choose the kind of representation." in response.text
    assert "Enter the name of the representation." in response.text
    assert "Enter a web address starting with https://." in response.text
    assert response.text.count('aria-invalid="true"') == 4
    assert 'value="Something"' in response.text


def test_organiser_edits_and_deactivates_a_consulate(client: TestClient, db_session: Session) -> None:
    _organiser(client, db_session)
    consulate = create_consulate(db_session, country="DE")
    db_session.commit()
    token = csrf_token(client)
    edited = client.post(
        f"/manage/consuls/{consulate.id}",
        data={
            "country_code": "DE",
            "kind": "consulate_general",
            "name_it": "Consolato generale di Germania",
            "name_en": "Consulate General of Germany",
            "csrf_token": token,
        },
        follow_redirects=False,
    )
    assert edited.status_code == 303
    client.post(f"/manage/consuls/{consulate.id}/active", data={"active": "false", "csrf_token": token})
    db_session.refresh(consulate)
    assert consulate.name_en == "Consulate General of Germany" and not consulate.active
    actions = db_session.exec(
        select(AuditEvent.action).where(
            AuditEvent.entity_type == "consulate", AuditEvent.entity_id == str(consulate.id)
        )
    ).all()
    assert actions == ["update", "deactivate"]
    page = client.get(f"/manage/consuls/{consulate.id}", headers=ENGLISH)
    assert "This representation is inactive" in page.text


def test_organiser_adds_edits_and_deactivates_a_representative(
    client: TestClient, db_session: Session
) -> None:
    _organiser(client, db_session)
    consulate = create_consulate(db_session, country="FR")
    db_session.commit()
    token = csrf_token(client)
    client.post(
        f"/manage/consuls/{consulate.id}/representatives",
        data={
            "name": "Claire Dubois",
            "title": "Consule générale",
            "email": "Claire.Dubois@Consulate.example.org",
            "languages": "fr, en, it",
            "preferred_language": "it",
            "csrf_token": token,
        },
    )
    person = db_session.exec(select(Representative).where(Representative.name == "Claire Dubois")).one()
    assert person.email == "claire.dubois@consulate.example.org"
    assert person.languages == ["fr", "en", "it"] and person.preferred_language == "it"
    client.post(
        f"/manage/consuls/representatives/{person.id}",
        data={
            "name": "Claire Dubois",
            "title": "Consule",
            "email": person.email,
            "languages": "fr",
            "preferred_language": "en",
            "csrf_token": token,
        },
    )
    client.post(
        f"/manage/consuls/representatives/{person.id}/active", data={"active": "false", "csrf_token": token}
    )
    db_session.refresh(person)
    assert (person.title, person.languages, person.preferred_language, person.active) == (
        "Consule",
        ["fr"],
        "en",
        False,
    )


def test_representative_with_a_taken_email_or_unknown_language_is_refused(
    client: TestClient, db_session: Session
) -> None:
    _organiser(client, db_session)
    taken = create_representative(db_session)
    db_session.commit()
    response = client.post(
        f"/manage/consuls/{taken.consulate_id}/representatives",
        data={
            "name": "Someone",
            "email": taken.email,
            "languages": "en, zz",
            "preferred_language": "de",
            "csrf_token": csrf_token(client),
        },
        headers=ENGLISH,
    )
    assert response.status_code == 422
    assert "Another representative already has this email." in response.text
    assert "Unknown language code &#39;zz&#39;" in response.text
    assert "Choose English (en) or Italian (it)." in response.text


def test_deactivating_a_representative_or_a_representation_is_confirmed_first(
    client: TestClient, db_session: Session
) -> None:
    _organiser(client, db_session)
    person = create_representative(db_session, name="Sam Leaving", email="sam.leaving@example.org")
    db_session.commit()
    page_path = f"/manage/consuls/representatives/{person.id}"
    assert f'action="{page_path}/active"' not in client.get(page_path, headers=ENGLISH).text
    page = client.get(f"{page_path}/active", headers=ENGLISH)
    assert page.status_code == 200 and "Sam Leaving" in page.text
    assert "Their invitation and calendar links and their sessions stop working at once." in page.text
    assert f'action="{page_path}/active"' in page.text and 'name="active" value="false"' in page.text

    consulate_path = f"/manage/consuls/{person.consulate_id}"
    italian = client.get(f"{consulate_path}/active", headers={"Accept-Language": "it"})
    assert "I suoi rappresentanti non riceveranno più inviti alle prossime tappe." in italian.text
    db_session.refresh(person)
    assert person.active and db_session.get(Consulate, person.consulate_id).active  # type: ignore[union-attr]
