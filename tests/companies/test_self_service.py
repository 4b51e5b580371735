import json

from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlmodel import Session, select

from app.accounts import service as accounts_service
from app.accounts.models import User
from app.companies import profiles
from app.companies.models import Attendee, Company, Registration, RegistrationCountry
from tests.factories import create_company, create_registration, create_stop, csrf_token, sign_in_as


def signed_in_company(client: TestClient, db_session: Session) -> tuple[Company, User]:
    company = create_company(db_session, contact_email="ufficio@aerotech.it", name="Aerotech S.r.l.")
    user = profiles.ensure_company_user(company, db_session=db_session)
    assert user is not None
    db_session.commit()
    sign_in_as(client, user)
    return company, user


def test_my_area_lists_registrations_and_is_only_for_companies(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, countries=("US", "DE"))
    company, _user = signed_in_company(client, db_session)
    create_registration(db_session, stop, company, countries=["US"])
    db_session.commit()
    page = client.get("/my")
    assert page.status_code == 200
    assert "Aerotech S.r.l." in page.text and "Confermata" in page.text
    client.cookies.clear()
    assert client.get("/my", follow_redirects=False).status_code == 303  # to sign-in
    organiser = accounts_service.create(
        "org-my@example.org", role="organiser", password="correct horse battery", db_session=db_session
    )  # type: ignore[arg-type]
    db_session.commit()
    sign_in_as(client, organiser)
    assert client.get("/my").status_code == 403


def test_company_changes_attendees_and_interests(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session, countries=("US", "DE"), attendees_per_company=2)
    company, _user = signed_in_company(client, db_session)
    registration = create_registration(db_session, stop, company, countries=["US"])
    db_session.commit()
    url = f"/my/registrations/{registration.id}"
    assert client.get(url).status_code == 200
    data = {
        "csrf_token": csrf_token(client),
        "attendees.0.name": "Anna Verdi",
        "attendees.0.email": "anna@aerotech.it",
        "attendees.1.name": "Luca Neri",
        "attendees.1.role": "Export manager",
        "attendees.1.email": "luca@aerotech.it",
        "countries": ["DE"],
    }
    assert client.post(url, data=data, follow_redirects=False).status_code == 303
    names = [
        a.name for a in db_session.exec(select(Attendee).where(Attendee.registration_id == registration.id))
    ]
    assert sorted(names) == ["Anna Verdi", "Luca Neri"]
    countries = db_session.exec(
        select(RegistrationCountry.country_code).where(RegistrationCountry.registration_id == registration.id)
    ).all()
    assert list(countries) == ["DE"]
    data["attendees.1.email"] = "not an email"
    bad = client.post(url, data=data)
    assert bad.status_code == 422 and 'id="field-attendees-1-email-error"' in bad.text


def test_another_companys_registration_is_not_found(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session)
    other = create_registration(db_session, stop)
    signed_in_company(client, db_session)
    assert client.get(f"/my/registrations/{other.id}").status_code == 404
    assert (
        client.post(
            f"/my/registrations/{other.id}/cancel", data={"csrf_token": csrf_token(client)}
        ).status_code
        == 404
    )


def test_company_cancels_and_downloads_the_calendar(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session, capacity=1)
    company, _user = signed_in_company(client, db_session)
    mine = create_registration(db_session, stop, company)
    waiting = create_registration(db_session, stop)
    db_session.commit()
    ics = client.get(f"/my/registrations/{mine.id}/calendar.ics")
    assert ics.status_code == 200 and ics.headers["content-type"].startswith("text/calendar")
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert str(event["summary"]) == stop.title_it and event.decoded("dtstart").date() == stop.stop_date
    cancel = client.post(
        f"/my/registrations/{mine.id}/cancel", data={"csrf_token": csrf_token(client)}, follow_redirects=False
    )
    assert cancel.status_code == 303
    db_session.refresh(mine)
    db_session.refresh(waiting)
    assert mine.status == "cancelled" and waiting.status == "confirmed"


def test_company_updates_its_profile_with_checked_fields(client: TestClient, db_session: Session) -> None:
    company, _user = signed_in_company(client, db_session)
    data = {
        "csrf_token": csrf_token(client),
        "name": "Aerotech Italia S.r.l.",
        "vat_number": company.vat_number,
        "contact_email": company.contact_email,
        "province": "",
        "ateco_code": "30.30.09",
        "website": "aerotech.it",
        "export_share": "45",
        "sectors": ["aerospace", "mechanics"],
        "markets": ["US", "IN"],
    }
    assert client.post("/my/company", data=data, follow_redirects=False).status_code == 303
    db_session.refresh(company)
    assert company.name == "Aerotech Italia S.r.l." and company.province_code is None
    assert company.website == "https://aerotech.it" and company.export_share == 45
    assert profiles.markets_of(company, db_session=db_session) == ["IN", "US"]
    bad = client.post("/my/company", data={**data, "export_share": "101", "province": "RM"})
    assert bad.status_code == 422
    assert 'id="field-export_share-error"' in bad.text and 'id="field-province-error"' in bad.text


def test_download_my_data_then_erase_keeps_only_anonymous_counts(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, capacity=1)
    company, user = signed_in_company(client, db_session)
    mine = create_registration(db_session, stop, company, attendees=1)
    waiting = create_registration(db_session, stop)
    db_session.commit()
    download = client.get("/my/data.json")
    data = json.loads(download.content)
    assert data["company"]["vat_number"] == company.vat_number
    assert data["registrations"][0]["status"] == "confirmed"
    wrong = client.post("/my/erase", data={"csrf_token": csrf_token(client), "vat_number": "123"})
    assert wrong.status_code == 422
    erased = client.post(
        "/my/erase",
        data={"csrf_token": csrf_token(client), "vat_number": "IT" + company.vat_number},
        follow_redirects=False,
    )
    assert erased.status_code == 303
    db_session.refresh(company)
    db_session.refresh(mine)
    db_session.refresh(waiting)
    db_session.refresh(user)
    assert company.erased_at is not None and "Aerotech" not in company.name
    assert company.contact_email.endswith("@invalid") and not user.is_active
    assert mine.status == "cancelled" and waiting.status == "confirmed"
    # What stays is anonymous: a cancelled registration in the province, size and sector counts.
    assert (
        db_session.exec(select(Registration).where(Registration.company_id == company.id)).one().stop_id
        == stop.id
    )
    assert company.province_code == "MI" and company.size_class == "small"
    assert client.get("/my", follow_redirects=False).status_code == 303
