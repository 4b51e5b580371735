from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app import clock
from tests.factories import create_stop, create_user, organiser_token, outbox, sign_in_as, vat_number


def body(n: int, **changes: object) -> dict[str, object]:
    company = {
        "name": f"Meccanica {n} S.p.A.",
        "vat_number": vat_number(1000 + n),
        "email": f"info@meccanica{n}.it",
        "province": "BG",
        "sector": "mechanics",
    }
    company.update(changes.pop("company", {}))  # type: ignore[call-overload]
    return {"company": company, "attendees": 1, "countries": ["US"], **changes}


def errors_of(response: object) -> dict[str, str]:
    return {e["field"]: e["msg"] for e in response.json()["detail"]}  # type: ignore[attr-defined]


def test_organiser_registration_is_confirmed_at_once_and_the_contact_told(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, capacity=5)
    headers = organiser_token(client, db_session)
    response = client.post(f"/api/stops/{stop.id}/registrations", json=body(1), headers=headers)
    assert response.status_code == 201, response.text
    created = response.json()
    assert created["status"] == "confirmed" and created["waitlist_position"] is None
    assert [m.template for m in outbox(db_session, "info@meccanica1.it")] == ["companies/emails/confirmed"]
    assert client.get(f"/api/stops/{stop.id}").json()["seats_left"] == 4


def test_past_capacity_registrations_join_the_waiting_list_in_order(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, capacity=2)
    headers = organiser_token(client, db_session)
    answers = [
        client.post(f"/api/stops/{stop.id}/registrations", json=body(n), headers=headers).json()
        for n in range(5)
    ]
    assert [(a["status"], a["waitlist_position"]) for a in answers] == [
        ("confirmed", None),
        ("confirmed", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
        ("waitlisted", 3),
    ]
    listed = client.get(f"/api/stops/{stop.id}/registrations", headers=headers).json()
    assert [r["vat_number"] for r in listed] == [vat_number(1000 + n) for n in range(5)]
    assert {r["id"] for r in listed} == {a["id"] for a in answers}


def test_the_same_vat_number_registers_once_per_stop_whatever_its_spelling(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session)
    headers = organiser_token(client, db_session)
    first = client.post(f"/api/stops/{stop.id}/registrations", json=body(1), headers=headers)
    assert first.status_code == 201
    spelled = "IT " + vat_number(1001)
    again = client.post(
        f"/api/stops/{stop.id}/registrations", json=body(2, company={"vat_number": spelled}), headers=headers
    )
    assert again.status_code == 409
    assert vat_number(1001) in again.json()["detail"]


def test_cancelling_promotes_the_head_of_the_waiting_list_and_renumbers(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, capacity=1)
    headers = organiser_token(client, db_session)
    ids = [
        client.post(f"/api/stops/{stop.id}/registrations", json=body(n), headers=headers).json()["id"]
        for n in range(4)
    ]
    cancelled = client.post(f"/api/registrations/{ids[0]}/cancel", headers=headers)
    assert cancelled.status_code == 200 and cancelled.json() == {"status": "cancelled"}
    listed = {r["id"]: r for r in client.get(f"/api/stops/{stop.id}/registrations", headers=headers).json()}
    assert [(listed[i]["status"], listed[i]["waitlist_position"]) for i in ids] == [
        ("cancelled", None),
        ("confirmed", None),
        ("waitlisted", 1),
        ("waitlisted", 2),
    ]
    assert "companies/emails/promoted" in [m.template for m in outbox(db_session, "info@meccanica1.it")]
    # Cancelling a waiting registration closes the gap it leaves.
    client.post(f"/api/registrations/{ids[2]}/cancel", headers=headers)
    listed = {r["id"]: r for r in client.get(f"/api/stops/{stop.id}/registrations", headers=headers).json()}
    assert listed[ids[3]]["waitlist_position"] == 1


def test_a_company_registers_again_after_cancelling(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session)
    headers = organiser_token(client, db_session)
    first = client.post(f"/api/stops/{stop.id}/registrations", json=body(1), headers=headers).json()
    client.post(f"/api/registrations/{first['id']}/cancel", headers=headers)
    again = client.post(f"/api/stops/{stop.id}/registrations", json=body(1), headers=headers)
    assert again.status_code == 201 and again.json()["status"] == "confirmed"


def test_bad_fields_get_422_with_one_message_each(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session, countries=("US", "DE"), attendees_per_company=2)
    headers = organiser_token(client, db_session) | {"Accept-Language": "en"}
    bad_check_digit = vat_number(1)[:-1] + str((int(vat_number(1)[-1]) + 1) % 10)
    response = client.post(
        f"/api/stops/{stop.id}/registrations",
        json=body(
            1,
            company={"vat_number": bad_check_digit, "province": "RM", "sector": "banking", "email": "nope"},
            attendees=3,
            countries=["US", "FR"],
        ),
        headers=headers,
    )
    assert response.status_code == 422
    fields = errors_of(response)
    assert set(fields) == {
        "company.vat_number",
        "company.province",
        "company.sector",
        "company.email",
        "attendees",
        "countries",
    }
    assert "check digit" in fields["company.vat_number"]
    assert "RM" in fields["company.province"] and "banking" in fields["company.sector"]
    assert "FR" in fields["countries"] and "1 to 2" in fields["attendees"]
    unknown = client.post(
        f"/api/stops/{stop.id}/registrations", json=body(1, countries=["XX"]), headers=headers
    )
    assert "Unknown country 'XX'" in errors_of(unknown)["countries"]
    zero = client.post(f"/api/stops/{stop.id}/registrations", json=body(1, attendees=0), headers=headers)
    assert set(errors_of(zero)) == {"attendees"}
    malformed = client.post(f"/api/stops/{stop.id}/registrations", json={"company": "x"}, headers=headers)
    assert malformed.status_code == 422


def test_outside_lombardy_and_it_prefix_are_accepted(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session)
    headers = organiser_token(client, db_session)
    response = client.post(
        f"/api/stops/{stop.id}/registrations",
        json=body(7, company={"province": None, "vat_number": "IT" + vat_number(1007)}),
        headers=headers,
    )
    assert response.status_code == 201
    listed = client.get(f"/api/stops/{stop.id}/registrations", headers=headers).json()
    assert listed[0]["vat_number"] == vat_number(1007) and listed[0]["province"] is None


def test_registration_window_is_enforced(client: TestClient, db_session: Session) -> None:
    opens = datetime(2027, 1, 10, 9, tzinfo=UTC)
    stop = create_stop(
        db_session, registration_opens_at=opens, registration_closes_at=opens + timedelta(days=30)
    )
    headers = organiser_token(client, db_session) | {"Accept-Language": "en"}
    clock.set_source(lambda: opens - timedelta(minutes=1))
    early = client.post(f"/api/stops/{stop.id}/registrations", json=body(1), headers=headers)
    assert early.status_code == 409 and "not open yet" in early.json()["detail"]
    clock.set_source(lambda: opens + timedelta(days=30))
    late = client.post(f"/api/stops/{stop.id}/registrations", json=body(1), headers=headers)
    assert late.status_code == 409 and "closed" in late.json()["detail"]
    clock.set_source(lambda: opens + timedelta(days=1))
    assert (
        client.post(f"/api/stops/{stop.id}/registrations", json=body(1), headers=headers).status_code == 201
    )


def test_credentials_401_roles_403_and_unknown_stop_404(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session)
    url = f"/api/stops/{stop.id}/registrations"
    assert client.post(url, json=body(1)).status_code == 401
    assert client.get(url).status_code == 401
    assert client.post(url, json=body(1), headers={"Authorization": "Bearer forged"}).status_code == 401
    headers = organiser_token(client, db_session)
    assert client.post("/api/stops/999999/registrations", json=body(1), headers=headers).status_code == 404
    company_user = create_user(db_session, role="company", password="")
    db_session.commit()
    sign_in_as(client, company_user)
    assert client.post(url, json=body(1)).status_code == 403
    assert client.get(url).status_code == 403


def test_the_company_cancels_its_own_registration_but_not_anothers(
    client: TestClient, db_session: Session
) -> None:
    from app.accounts import service as accounts_service

    stop = create_stop(db_session)
    headers = organiser_token(client, db_session)
    mine = client.post(f"/api/stops/{stop.id}/registrations", json=body(1), headers=headers).json()
    theirs = client.post(f"/api/stops/{stop.id}/registrations", json=body(2), headers=headers).json()
    user = accounts_service.get_by_email("info@meccanica1.it", db_session=db_session)
    assert user is not None and user.role == "company"
    client.headers.pop("Authorization", None)
    sign_in_as(client, user)
    assert client.post(f"/api/registrations/{theirs['id']}/cancel").status_code == 404
    response = client.post(f"/api/registrations/{mine['id']}/cancel")
    assert response.status_code == 200 and response.json() == {"status": "cancelled"}
    consul = create_user(db_session, role="consul", password="")
    db_session.commit()
    sign_in_as(client, consul)
    assert client.post(f"/api/registrations/{theirs['id']}/cancel").status_code == 403
