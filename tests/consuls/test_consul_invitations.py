import re
from datetime import UTC, date, datetime, time

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app import clock
from app.accounts.models import Role, User
from app.consuls import links
from app.consuls.models import Invitation, InvitationStatus, Representative
from app.notifications.models import OutboxMessage
from app.stops.models import PublicationStatus, StopStatus
from tests.factories import (
    create_invitation,
    create_stop,
    create_user,
    csrf_token,
    only_representatives_of,
    outbox,
    sign_in_as,
)

B2B = {"b2b_first_slot": time(14, 0), "b2b_slot_minutes": 20, "b2b_slot_count": 4, "b2b_tables": 6}


def _invite(client: TestClient, db_session: Session, stop_id: int) -> None:
    organiser = create_user(db_session, role="organiser")
    db_session.commit()
    sign_in_as(client, organiser)
    response = client.post(
        f"/manage/stops/{stop_id}/consuls/invite",
        data={"csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    client.cookies.clear()


def _link_in(message: OutboxMessage) -> str:
    match = re.search(r"http://[^\s]+/consul/invitations/[^\s<\"]+", message.body_text)
    assert match, message.body_text
    return match.group(0).replace("http://127.0.0.1:8000", "")


def test_one_action_invites_every_active_representative_of_the_prospect_countries_once(
    client: TestClient, db_session: Session
) -> None:
    americans = only_representatives_of(db_session, "US", count=2)
    germans = only_representatives_of(db_session, "DE", count=1, preferred_language="it")
    stop = create_stop(db_session, countries=("US", "DE"))
    _invite(client, db_session, stop.id or 0)
    _invite(client, db_session, stop.id or 0)
    invitations = db_session.exec(select(Invitation).where(Invitation.stop_id == stop.id)).all()
    assert sorted(i.representative_id for i in invitations) == sorted(p.id for p in americans + germans)
    assert {i.status for i in invitations} == {InvitationStatus.INVITED}
    english = outbox(db_session, americans[0].email)
    italian = outbox(db_session, germans[0].email)
    assert len(english) == 1 and len(italian) == 1
    assert english[0].language == "en" and english[0].subject.startswith("Invitation: Test stop")
    assert "Wednesday, 12 May 2027" in english[0].body_text
    assert italian[0].language == "it" and italian[0].subject.startswith("Invito: Tappa di prova")
    assert "/consul/invitations/" in _link_in(english[0])


def test_inactive_representatives_and_delegates_are_not_invited(
    client: TestClient, db_session: Session
) -> None:
    active, inactive = only_representatives_of(db_session, "US", count=2)
    inactive.active = False
    db_session.add(inactive)
    stop = create_stop(db_session, countries=("US",))
    _invite(client, db_session, stop.id or 0)
    invited = db_session.exec(select(Invitation.representative_id).where(Invitation.stop_id == stop.id)).all()
    assert invited == [active.id]


def test_opening_the_link_marks_it_opened_signs_the_consul_in_and_speaks_their_language(
    client: TestClient, db_session: Session
) -> None:
    (person,) = only_representatives_of(db_session, "US")
    stop = create_stop(db_session, countries=("US",), **B2B)
    _invite(client, db_session, stop.id or 0)
    page = client.get(_link_in(outbox(db_session, person.email)[0]))
    assert page.status_code == 200
    assert "Confirm your attendance" in page.text and "14:20" in page.text and "15:00" in page.text
    assert client.cookies.get("roadshow_lang") == "en"
    invitation = db_session.exec(select(Invitation).where(Invitation.representative_id == person.id)).one()
    db_session.refresh(invitation)
    assert invitation.status == InvitationStatus.OPENED and invitation.opened_at is not None
    user = db_session.exec(select(User).where(User.representative_id == person.id)).one()
    assert user.role == Role.CONSUL
    assert client.get("/account", follow_redirects=False).headers["location"] == "/consul"
    assert client.get("/consul").status_code == 200


def test_a_visitor_who_chose_a_language_keeps_it(client: TestClient, db_session: Session) -> None:
    (person,) = only_representatives_of(db_session, "US")
    stop = create_stop(db_session, countries=("US",))
    invitation = create_invitation(db_session, stop, person)
    db_session.commit()
    client.cookies.set("roadshow_lang", "it")
    page = client.get(
        f"/consul/invitations/{links.invitation_token(invitation, person, client.app.state.settings)}"
    )  # type: ignore[attr-defined]
    assert "Conferma la partecipazione" in page.text


def test_a_forged_link_is_not_found_and_a_link_after_the_stop_has_expired(
    client: TestClient, db_session: Session
) -> None:
    (person,) = only_representatives_of(db_session, "US")
    stop = create_stop(db_session, countries=("US",), stop_date=date(2027, 5, 12))
    invitation = create_invitation(db_session, stop, person)
    db_session.commit()
    token = links.invitation_token(invitation, person, client.app.state.settings)  # type: ignore[attr-defined]
    assert client.get(f"/consul/invitations/{token}x").status_code == 404
    clock.set_source(lambda: datetime(2027, 5, 13, 8, 0, tzinfo=UTC))
    expired = client.get(f"/consul/invitations/{token}", headers={"Accept-Language": "en"})
    assert expired.status_code == 403 and "This invitation link has expired" in expired.text


def _answer(client: TestClient, db_session: Session, *, language: str = "en", **stop_values: object):  # type: ignore[no-untyped-def]
    (person,) = only_representatives_of(db_session, "US", preferred_language=language)
    stop = create_stop(db_session, countries=("US",), **{**B2B, **stop_values})
    invitation = create_invitation(db_session, stop, person)
    db_session.commit()
    token = links.invitation_token(invitation, person, client.app.state.settings)  # type: ignore[attr-defined]
    client.get(f"/consul/invitations/{token}")
    return person, stop, invitation, token


def test_consul_confirms_with_slots_meeting_cap_and_interests(
    client: TestClient, db_session: Session
) -> None:
    _person, _stop, invitation, token = _answer(client, db_session)
    response = client.post(
        f"/consul/invitations/{token}/confirm",
        data={
            "slots": ["0", "2"],
            "max_meetings": "2",
            "sectors": ["aerospace", "energy"],
            "topics": "Composite materials",
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 200 and "your answer has been recorded" in response.text
    db_session.refresh(invitation)
    assert invitation.status == InvitationStatus.CONFIRMED and invitation.answered_at is not None
    assert invitation.available_slots == [0, 2] and invitation.max_meetings == 2
    assert (
        invitation.sector_interests == ["aerospace", "energy"] and invitation.topics == "Composite materials"
    )


def test_confirming_every_slot_stores_all_of_them_as_null(client: TestClient, db_session: Session) -> None:
    _person, _stop, invitation, token = _answer(client, db_session)
    client.post(
        f"/consul/invitations/{token}/confirm",
        data={"slots": ["0", "1", "2", "3"], "csrf_token": csrf_token(client)},
    )
    db_session.refresh(invitation)
    assert invitation.status == InvitationStatus.CONFIRMED
    assert invitation.available_slots is None and invitation.max_meetings is None


def test_bad_availability_is_shown_again_with_messages(client: TestClient, db_session: Session) -> None:
    _person, _stop, invitation, token = _answer(client, db_session)
    response = client.post(
        f"/consul/invitations/{token}/confirm",
        data={
            "slots": ["1", "9"],
            "max_meetings": "12",
            "sectors": ["cooking"],
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 422
    assert "Choose meeting slots among those of this stop." in response.text
    assert "Enter a number of meetings between 1 and 4, or leave it empty." in response.text
    assert "Choose sectors from the list." in response.text
    assert 'aria-invalid="true"' in response.text
    db_session.refresh(invitation)
    assert invitation.status == InvitationStatus.OPENED


def test_consul_declines_with_a_reason_and_may_change_their_mind(
    client: TestClient, db_session: Session
) -> None:
    _person, _stop, invitation, token = _answer(client, db_session)
    client.post(
        f"/consul/invitations/{token}/decline",
        data={"reason": "Travelling", "csrf_token": csrf_token(client)},
    )
    db_session.refresh(invitation)
    assert (invitation.status, invitation.decline_reason) == (InvitationStatus.DECLINED, "Travelling")
    client.post(
        f"/consul/invitations/{token}/confirm", data={"slots": ["1"], "csrf_token": csrf_token(client)}
    )
    db_session.refresh(invitation)
    assert invitation.status == InvitationStatus.CONFIRMED and invitation.decline_reason == ""


def test_consul_names_a_delegate_who_gets_their_own_link(client: TestClient, db_session: Session) -> None:
    person, stop, invitation, token = _answer(client, db_session)
    response = client.post(
        f"/consul/invitations/{token}/delegate",
        data={
            "delegate_name": "Laura Bianchi",
            "delegate_title": "Trade advisor",
            "delegate_email": "laura.bianchi@consulate.example.org",
            "delegate_language": "it",
            "csrf_token": csrf_token(client),
        },
    )
    assert "You named Laura Bianchi as your delegate" in response.text
    db_session.refresh(invitation)
    assert invitation.status == InvitationStatus.DELEGATED
    delegate = db_session.exec(select(Representative).where(Representative.name == "Laura Bianchi")).one()
    assert delegate.delegated_by_id == person.id and delegate.consulate_id == person.consulate_id
    theirs = db_session.get(Invitation, invitation.delegate_invitation_id)
    assert theirs is not None and theirs.representative_id == delegate.id and theirs.stop_id == stop.id
    (email,) = outbox(db_session, "laura.bianchi@consulate.example.org")
    assert email.language == "it" and f"{person.name} ha indicato lei" in email.body_text
    client.cookies.clear()
    page = client.get(_link_in(email))
    assert "Conferma la partecipazione" in page.text


def test_delegating_to_oneself_or_without_a_name_is_refused(client: TestClient, db_session: Session) -> None:
    person, _stop, _invitation, token = _answer(client, db_session)
    response = client.post(
        f"/consul/invitations/{token}/delegate",
        data={"delegate_email": person.email, "delegate_language": "xx", "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 422
    assert "Enter your delegate&#39;s name." in response.text
    assert "Name someone other than yourself." in response.text
    assert "Choose English (en) or Italian (it)." in response.text


def test_once_the_schedule_is_published_a_representative_can_only_confirm_late(
    client: TestClient, db_session: Session
) -> None:
    _person, stop, invitation, token = _answer(client, db_session)
    stop.schedule_status = PublicationStatus.PUBLISHED
    db_session.add(stop)
    db_session.commit()
    page = client.get(f"/consul/invitations/{token}")
    assert "you can still confirm your attendance" in page.text
    assert "/confirm" in page.text and "/decline" not in page.text and "/delegate" not in page.text
    refused = client.post(f"/consul/invitations/{token}/decline", data={"csrf_token": csrf_token(client)})
    assert refused.status_code == 409
    db_session.refresh(invitation)
    assert invitation.status == InvitationStatus.OPENED


def test_a_confirmed_answer_is_read_only_once_the_schedule_is_published(
    client: TestClient, db_session: Session
) -> None:
    _person, stop, invitation, token = _answer(client, db_session)
    invitation.status = InvitationStatus.CONFIRMED
    stop.schedule_status = PublicationStatus.PUBLISHED
    db_session.add_all([stop, invitation])
    db_session.commit()
    page = client.get(f"/consul/invitations/{token}")
    assert "The meeting schedule of this stop is published" in page.text
    assert "/confirm" not in page.text
    refused = client.post(f"/consul/invitations/{token}/confirm", data={"csrf_token": csrf_token(client)})
    assert refused.status_code == 409


def test_a_cancelled_or_past_stop_cannot_be_invited(client: TestClient, db_session: Session) -> None:
    only_representatives_of(db_session, "US")
    cancelled = create_stop(db_session, countries=("US",), status=StopStatus.CANCELLED)
    past = create_stop(db_session, countries=("US",), stop_date=date(2026, 1, 10))
    organiser = create_user(db_session, role="organiser")
    db_session.commit()
    sign_in_as(client, organiser)
    for stop in (cancelled, past):
        response = client.post(
            f"/manage/stops/{stop.id}/consuls/invite", data={"csrf_token": csrf_token(client)}
        )
        assert response.status_code == 409
    assert (
        db_session.exec(select(Invitation).where(col(Invitation.stop_id).in_([cancelled.id, past.id]))).all()
        == []
    )
