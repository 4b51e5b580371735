"""Representatives hear of meeting requests by a daily digest whose links answer without signing
in; a reminder before the request deadline; at the deadline unanswered requests expire."""

import re
from datetime import UTC, date, datetime

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app import clock
from app.companies.models import Registration
from app.config import Settings
from app.consuls import links
from app.consuls.models import Invitation, Representative
from app.i18n import LANGUAGE_COOKIE
from app.matching import data as stop_data
from app.matching import expiry, request_mail
from app.matching import requests as requests_service
from app.matching.models import MeetingRequest, RequestStatus
from app.notifications.models import OutboxMessage
from app.stops.models import PublicationStatus, Stop
from tests.factories import (
    create_company,
    create_invitation,
    create_meeting_request,
    create_registration,
    create_stop,
    create_user,
    csrf_token,
    sign_in_as,
)
from tests.stops.test_capacity_promotes import edit_form

DEADLINE = date(2027, 5, 1)
LINK = re.compile(r"^http://\S+/consul/requests/(accept|decline)/\S+$", re.MULTILINE)


def _at(year: int, month: int, day: int, hour: int = 9) -> None:
    moment = datetime(year, month, day, hour, 0, tzinfo=UTC)
    clock.set_source(lambda: moment)


def _setup(db_session: Session, *, language: str = "en") -> tuple[Stop, Invitation, Representative]:
    """A stop whose requests close on DEADLINE, a confirmed consul, and the clock a month before."""
    _at(2027, 4, 1)
    stop = create_stop(db_session, b2b_slots=4, b2b_tables=2, requests_close_on=DEADLINE)
    invitation = create_invitation(db_session, stop, country="US", status="confirmed", language=language)
    person = db_session.get(Representative, invitation.representative_id)
    assert person is not None
    return stop, invitation, person


def _request(db_session: Session, stop: Stop, invitation: Invitation, name: str) -> MeetingRequest:
    company = create_company(db_session, name=name)
    registration = create_registration(db_session, stop, company, status="confirmed")
    return create_meeting_request(
        db_session, registration, invitation, status="pending", priority="high", goal=f"Export with {name}"
    )


def _mail(db_session: Session, to: str, template: str) -> list[OutboxMessage]:
    return list(
        db_session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.to_address == to, OutboxMessage.template == template)
            .order_by(col(OutboxMessage.id))
        ).all()
    )


def _digest_links(message: OutboxMessage, base_url: str) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {"accept": [], "decline": []}
    for match in LINK.finditer(message.body_text):
        found[match.group(1)].append(match.group(0).removeprefix(base_url))
    return found


def test_two_requests_on_one_day_make_one_digest_and_the_next_day_brings_another(
    db_session: Session, settings: Settings
) -> None:
    stop, invitation, person = _setup(db_session)
    _request(db_session, stop, invitation, "Alfa Meccanica")
    _request(db_session, stop, invitation, "Beta Tessile")
    assert request_mail.send_request_digests(db_session=db_session, settings=settings) == 1
    _at(2027, 4, 1, hour=15)
    _request(db_session, stop, invitation, "Gamma Foods")
    assert request_mail.send_request_digests(db_session=db_session, settings=settings) == 0
    _at(2027, 4, 2)
    assert request_mail.send_request_digests(db_session=db_session, settings=settings) == 1
    assert request_mail.send_request_digests(db_session=db_session, settings=settings) == 0

    first, second = _mail(db_session, person.email, "consuls/emails/request_digest")
    assert "Alfa Meccanica" in first.body_text and "Beta Tessile" in first.body_text
    assert "Gamma Foods" not in first.body_text
    assert "Gamma Foods" in second.body_text and "Alfa Meccanica" not in second.body_text
    assert "Priority: High" in first.body_text and "Export with Beta Tessile" in first.body_text
    assert "Aerospace" in first.body_text
    assert f"/consul/stops/{stop.id}/requests" in first.body_text
    links = _digest_links(first, settings.base_url)
    assert len(links["accept"]) == 2 and len(links["decline"]) == 2


def test_the_accept_link_asks_for_a_click_and_answers_without_signing_in(
    client: TestClient, db_session: Session, settings: Settings
) -> None:
    stop, invitation, person = _setup(db_session)
    request = _request(db_session, stop, invitation, "Alfa Meccanica")
    request_mail.send_request_digests(db_session=db_session, settings=settings)
    db_session.commit()
    (digest,) = _mail(db_session, person.email, "consuls/emails/request_digest")
    accept, decline = (_digest_links(digest, settings.base_url)[a][0] for a in ("accept", "decline"))

    page = client.get(accept)  # what a mail scanner does
    assert page.status_code == 200
    assert "Yes, accept this request" in page.text and "Alfa Meccanica" in page.text
    assert settings.organiser_email in page.text
    db_session.refresh(request)
    assert request.status == RequestStatus.PENDING

    done = client.post(accept, data={"csrf_token": csrf_token(client)}, follow_redirects=False)
    assert done.status_code == 303
    result = client.get(done.headers["location"])
    assert result.status_code == 200 and "Request accepted" in result.text
    db_session.refresh(request)
    assert request.status == RequestStatus.ACCEPTED

    again = client.get(accept)
    assert again.status_code == 410 and "already been used" in again.text
    refused = client.post(decline, data={"csrf_token": csrf_token(client)})
    assert refused.status_code == 410 and "already been used" in refused.text
    db_session.refresh(request)
    assert request.status == RequestStatus.ACCEPTED


def test_the_decline_link_declines_and_pages_speak_the_representatives_language(
    client: TestClient, db_session: Session, settings: Settings
) -> None:
    stop, invitation, person = _setup(db_session, language="it")
    request = _request(db_session, stop, invitation, "Alfa Meccanica")
    db_session.commit()
    decline = f"/consul/requests/decline/{_token(request, 'decline', person, settings)}"
    page = client.get(decline)
    assert page.status_code == 200 and "Sì, rifiuto questa richiesta" in page.text
    done = client.post(decline, data={"csrf_token": csrf_token(client)})
    assert done.status_code == 200 and "Richiesta rifiutata" in done.text
    db_session.refresh(request)
    assert request.status == RequestStatus.DECLINED


def _token(request: MeetingRequest, action: str, person: Representative, settings: Settings) -> str:
    return links.request_answer_token(request.id or 0, action, person, settings)


def test_a_garbled_link_gets_a_clear_page_in_the_readers_language(client: TestClient) -> None:
    english = {"Accept-Language": "en-GB,en;q=0.8"}
    for url in ("/consul/requests/accept/not-a-token", "/consul/requests/maybe/not-a-token"):
        page = client.get(url, headers=english)
        assert page.status_code == 404 and "This link is not valid" in page.text
        posted = client.post(url, data={"csrf_token": csrf_token(client)}, headers=english)
        assert posted.status_code == 404
    client.cookies.set(LANGUAGE_COOKIE, "it")
    page = client.get("/consul/requests/accept/not-a-token", headers=english)
    assert page.status_code == 404 and "Questo link non è valido" in page.text


def test_links_expire_at_the_deadline_and_revoked_links_are_refused(
    client: TestClient, db_session: Session, settings: Settings
) -> None:
    stop, invitation, person = _setup(db_session)
    request = _request(db_session, stop, invitation, "Alfa Meccanica")
    db_session.commit()
    accept = f"/consul/requests/accept/{_token(request, 'accept', person, settings)}"
    _at(2027, 5, 1)
    page = client.get(accept)
    assert page.status_code == 410 and "This link has expired" in page.text
    assert client.post(accept, data={"csrf_token": csrf_token(client)}).status_code == 410
    db_session.refresh(request)
    assert request.status == RequestStatus.PENDING

    _at(2027, 4, 20)
    person.credential_version += 1
    db_session.add(person)
    db_session.commit()
    assert client.get(accept).status_code == 403
    assert client.post(accept, data={"csrf_token": csrf_token(client)}).status_code == 403
    db_session.refresh(request)
    assert request.status == RequestStatus.PENDING


def test_a_reminder_goes_out_once_a_few_days_before_the_deadline(
    db_session: Session, settings: Settings
) -> None:
    stop, invitation, person = _setup(db_session)
    _request(db_session, stop, invitation, "Alfa Meccanica")
    answered = _request(db_session, stop, invitation, "Beta Tessile")
    answered.status = RequestStatus.ACCEPTED
    _at(2027, 4, 27)
    assert request_mail.send_request_reminders(db_session=db_session, settings=settings) == 0
    _at(2027, 4, 28)
    assert request_mail.send_request_reminders(db_session=db_session, settings=settings) == 1
    assert request_mail.send_request_reminders(db_session=db_session, settings=settings) == 0
    _at(2027, 4, 30)
    assert request_mail.send_request_reminders(db_session=db_session, settings=settings) == 0
    (reminder,) = _mail(db_session, person.email, "consuls/emails/request_reminder")
    assert "Alfa Meccanica" in reminder.body_text and "Beta Tessile" not in reminder.body_text
    assert "30 April 2027" in reminder.body_text


def test_at_the_deadline_pending_requests_expire_and_each_company_is_told_once(
    client: TestClient, db_session: Session, settings: Settings
) -> None:
    stop, invitation, _person = _setup(db_session)
    other = create_invitation(db_session, stop, country="DE", status="confirmed")
    pending = _request(db_session, stop, invitation, "Alfa Meccanica")
    registration = db_session.get_one(Registration, pending.registration_id)
    second = create_meeting_request(db_session, registration, other, status="pending")
    accepted = _request(db_session, stop, other, "Beta Tessile")
    accepted.status = RequestStatus.ACCEPTED
    _at(2027, 4, 30, hour=20)
    assert expiry.expire_requests(db_session=db_session, settings=settings) == 0
    _at(2027, 5, 1, hour=6)
    assert expiry.expire_requests(db_session=db_session, settings=settings) == 2
    assert expiry.expire_requests(db_session=db_session, settings=settings) == 0
    for request in (pending, second, accepted):
        db_session.refresh(request)
    assert pending.status == second.status == RequestStatus.EXPIRED
    assert accepted.status == RequestStatus.ACCEPTED

    told = db_session.exec(
        select(OutboxMessage).where(OutboxMessage.template == "matching/emails/requests_expired")
    ).all()
    assert len(told) == 1
    assert told[0].body_text.count("\n- ") == 2
    assert f"/my/stops/{stop.id}/meetings" in told[0].body_text
    assert requests_service.count_active(registration, db_session=db_session) == 0
    info = stop_data.load(stop, db_session=db_session)
    assert not info.schedulable(pending)

    person = db_session.get_one(Representative, invitation.representative_id)
    user = create_user(db_session, role="consul", representative_id=person.id, email=person.email)
    db_session.commit()
    sign_in_as(client, user)
    refused = client.post(
        f"/consul/stops/{stop.id}/requests/{pending.id}/answer",
        data={"decision": "accept", "csrf_token": csrf_token(client)},
    )
    assert refused.status_code == 409
    db_session.refresh(pending)
    assert pending.status == RequestStatus.EXPIRED


def test_no_digest_once_the_schedule_is_published(db_session: Session, settings: Settings) -> None:
    stop, invitation, _person = _setup(db_session)
    _request(db_session, stop, invitation, "Alfa Meccanica")
    stop.schedule_status = PublicationStatus.PUBLISHED
    assert request_mail.send_request_digests(db_session=db_session, settings=settings) == 0


def test_the_organiser_sets_the_request_deadline_on_the_stop_form_but_not_after_the_stop(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, stop_date=date(2027, 5, 12))
    sign_in_as(client, create_user(db_session, role="organiser"))
    db_session.commit()
    form = {**edit_form(stop), "csrf_token": csrf_token(client)}
    late = client.post(
        f"/manage/stops/{stop.id}/edit",
        data={**form, "requests_close_on": "2027-05-13"},
        headers={"Accept-Language": "en"},
    )
    assert late.status_code == 422
    assert "Meeting requests must close no later than the day of the stop." in late.text
    db_session.refresh(stop)
    assert stop.requests_close_on is None
    saved = client.post(
        f"/manage/stops/{stop.id}/edit",
        data={**form, "requests_close_on": "2027-05-05"},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    db_session.refresh(stop)
    assert stop.requests_close_on == date(2027, 5, 5)
    assert 'value="2027-05-05"' in client.get(f"/manage/stops/{stop.id}/edit").text
