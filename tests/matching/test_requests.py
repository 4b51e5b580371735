"""Companies ask for meetings, representatives answer, organisers add and remove."""

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.errors import Conflict, Forbidden, InvalidInput
from app.matching import requests
from app.matching.models import Meeting, MeetingRequest, RequestStatus
from app.stops.models import PublicationStatus
from tests.factories import (
    create_invitation,
    create_meeting,
    create_meeting_request,
    create_registration,
    create_representative,
    create_user,
    sign_in_as,
)
from tests.matching.b2b_helpers import b2b_stop, in_english, post_form

ENGLISH = {"Accept-Language": "en"}

pytestmark = pytest.mark.usefixtures(in_english.__name__)


def _ask(db_session: Session, b2b, registration, invitation, **values):  # type: ignore[no-untyped-def]
    return requests.create(
        b2b.stop,
        registration,
        invitation_id=values.get("invitation_id", invitation.id),
        priority=values.get("priority", "high"),
        goal=values.get("goal", "Find a distributor in Texas"),
        by_organiser=values.get("by_organiser", False),
        db_session=db_session,
    )


def test_company_request_waits_for_the_representative_unless_the_stop_accepts_at_once(
    db_session: Session,
) -> None:
    b2b = b2b_stop(db_session)
    assert _ask(db_session, b2b, b2b.registrations[0], b2b.us).status == RequestStatus.PENDING
    b2b.stop.auto_accept_requests = True
    accepted = _ask(db_session, b2b, b2b.registrations[0], b2b.de)
    assert accepted.status == RequestStatus.ACCEPTED and accepted.answered_at is not None


def test_quota_counts_open_requests_and_a_declined_one_frees_its_place(db_session: Session) -> None:
    b2b = b2b_stop(db_session, meeting_request_quota=2)
    extra = create_invitation(db_session, b2b.stop, country="DE", status="confirmed")
    registration = b2b.registrations[0]
    first = _ask(db_session, b2b, registration, b2b.us)
    _ask(db_session, b2b, registration, b2b.de)
    with pytest.raises(Conflict) as refused:
        _ask(db_session, b2b, registration, extra)
    assert refused.value.translated() == "You have reached this stop's limit of 2 meeting requests."
    first.status = RequestStatus.DECLINED
    db_session.add(first)
    assert _ask(db_session, b2b, registration, extra).id is not None


def test_duplicate_request_is_a_conflict(db_session: Session) -> None:
    b2b = b2b_stop(db_session)
    _ask(db_session, b2b, b2b.registrations[0], b2b.us)
    with pytest.raises(Conflict) as duplicate:
        _ask(db_session, b2b, b2b.registrations[0], b2b.us)
    assert duplicate.value.status_code == 409
    assert "already asked to meet this representative" in duplicate.value.translated()


def test_country_without_a_confirmed_representative_and_bad_fields_are_named(db_session: Session) -> None:
    b2b = b2b_stop(db_session)
    invited_only = create_invitation(db_session, b2b.stop, country="FR", status="invited")
    with pytest.raises(InvalidInput) as invalid:
        _ask(db_session, b2b, b2b.registrations[0], invited_only, priority="urgent", goal=" ")
    assert set(invalid.value.errors) == {"invitation_id", "priority", "goal"}
    assert "confirmed" in invalid.value.errors["invitation_id"]


def test_company_cannot_change_requests_once_the_schedule_is_published(db_session: Session) -> None:
    b2b = b2b_stop(db_session, schedule_status=PublicationStatus.PUBLISHED)
    with pytest.raises(Conflict) as refused:
        _ask(db_session, b2b, b2b.registrations[0], b2b.us)
    assert "ask the organisers" in refused.value.translated()
    # Organisers still can, and their requests are accepted at once, beyond the quota.
    added = _ask(db_session, b2b, b2b.registrations[0], b2b.us, by_organiser=True, goal="")
    assert added.status == RequestStatus.ACCEPTED


def test_declining_an_accepted_request_takes_its_meeting_out(db_session: Session) -> None:
    b2b = b2b_stop(db_session)
    request = create_meeting_request(db_session, b2b.registrations[0], b2b.us)
    create_meeting(db_session, request)
    requests.answer(b2b.stop, b2b.us, request.id, accept=False, db_session=db_session)
    assert request.status == RequestStatus.DECLINED
    assert db_session.exec(select(Meeting).where(Meeting.request_id == request.id)).first() is None


def test_company_page_lists_only_its_confirmed_representatives_and_sends_a_request(
    client: TestClient, db_session: Session
) -> None:
    b2b = b2b_stop(db_session)
    create_invitation(
        db_session,
        b2b.stop,
        create_representative(db_session, country="FR", name="Nobody Declined"),
        status="declined",
    )
    user = create_user(db_session, role="company", company_id=b2b.registrations[0].company_id)
    db_session.commit()
    sign_in_as(client, user)
    page = client.get(f"/my/stops/{b2b.stop.id}/meetings", headers=ENGLISH)
    assert page.status_code == 200
    assert "United States" in page.text and "Nobody Declined" not in page.text
    sent = post_form(
        client,
        f"/my/stops/{b2b.stop.id}/meetings",
        {"invitation_id": b2b.us.id, "priority": "high", "goal": "Distributors in Texas"},
    )
    assert sent.status_code == 303
    assert "Distributors in Texas" in client.get(sent.headers["location"], headers=ENGLISH).text


def test_company_page_shows_field_errors_next_to_the_fields(client: TestClient, db_session: Session) -> None:
    b2b = b2b_stop(db_session)
    user = create_user(db_session, role="company", company_id=b2b.registrations[0].company_id)
    db_session.commit()
    sign_in_as(client, user)
    client.cookies.set("roadshow_lang", "en")
    page = post_form(client, f"/my/stops/{b2b.stop.id}/meetings", {"invitation_id": "", "priority": "high"})
    assert page.status_code == 422
    assert 'aria-describedby="field-request-invitation_id-error"' in page.text
    assert "Tell the representative in a few words" in page.text


def test_company_cannot_see_or_withdraw_another_companys_requests(
    client: TestClient, db_session: Session
) -> None:
    b2b = b2b_stop(db_session)
    mine, theirs = b2b.registrations[0], b2b.registrations[1]
    other_request = create_meeting_request(db_session, theirs, b2b.us, status="pending")
    other_request.goal = "Secret plans of the other company"
    outsider = create_registration(db_session, b2b.stop, status="waitlisted")
    user = create_user(db_session, role="company", company_id=mine.company_id)
    db_session.commit()
    sign_in_as(client, user)
    page = client.get(f"/my/stops/{b2b.stop.id}/meetings")
    assert "Secret plans" not in page.text
    withdraw = post_form(client, f"/my/stops/{b2b.stop.id}/meetings/{other_request.id}/withdraw")
    assert withdraw.status_code == 404
    assert db_session.get(MeetingRequest, other_request.id) is not None
    sign_in_as(client, create_user(db_session, role="company", company_id=outsider.company_id))
    db_session.commit()
    assert client.get(f"/my/stops/{b2b.stop.id}/meetings").status_code == 403


def test_consul_sees_the_company_profile_and_accepts(client: TestClient, db_session: Session) -> None:
    b2b = b2b_stop(db_session)
    request = create_meeting_request(db_session, b2b.registrations[0], b2b.us, status="pending")
    user = create_user(db_session, role="consul", representative_id=b2b.us.representative_id)
    db_session.commit()
    sign_in_as(client, user)
    client.cookies.set("roadshow_lang", "en")
    page = client.get(f"/consul/stops/{b2b.stop.id}/requests")
    assert page.status_code == 200
    assert "Find a distributor" in page.text and "Small enterprise" in page.text
    assert "Aerospace" in page.text and "40%" in page.text and "Varese" in page.text
    assert "Matches what you asked for</span> works in Aerospace, which you asked for" in page.text
    answer = post_form(
        client, f"/consul/stops/{b2b.stop.id}/requests/{request.id}/answer", {"decision": "accept"}
    )
    assert answer.status_code == 303
    db_session.refresh(request)
    assert request.status == RequestStatus.ACCEPTED


def test_consul_only_answers_requests_addressed_to_them(client: TestClient, db_session: Session) -> None:
    b2b = b2b_stop(db_session)
    to_germany = create_meeting_request(db_session, b2b.registrations[0], b2b.de, status="pending")
    user = create_user(db_session, role="consul", representative_id=b2b.us.representative_id)
    db_session.commit()
    sign_in_as(client, user)
    answer = post_form(
        client, f"/consul/stops/{b2b.stop.id}/requests/{to_germany.id}/answer", {"decision": "accept"}
    )
    assert answer.status_code == 404
    db_session.refresh(to_germany)
    assert to_germany.status == RequestStatus.PENDING
    company = create_user(db_session, role="company", company_id=b2b.registrations[1].company_id)
    db_session.commit()
    sign_in_as(client, company)
    assert client.get(f"/consul/stops/{b2b.stop.id}/requests").status_code == 403


def test_organiser_adds_and_removes_requests(client: TestClient, db_session: Session) -> None:
    from tests.factories import create_user

    b2b = b2b_stop(db_session)
    organiser = create_user(db_session)
    db_session.commit()
    sign_in_as(client, organiser)
    url = f"/manage/stops/{b2b.stop.id}/meetings/requests"
    added = post_form(
        client,
        url,
        {"registration_id": b2b.registrations[2].id, "invitation_id": b2b.de.id, "priority": "low"},
    )
    assert added.status_code == 303
    request = db_session.exec(
        select(MeetingRequest).where(MeetingRequest.registration_id == b2b.registrations[2].id)
    ).one()
    assert request.status == RequestStatus.ACCEPTED
    again = post_form(
        client,
        url,
        {"registration_id": b2b.registrations[2].id, "invitation_id": b2b.de.id, "priority": "low"},
    )
    assert again.status_code == 409
    request_id = request.id
    removed = post_form(client, f"{url}/{request_id}/remove")
    assert removed.status_code == 303
    db_session.expire_all()
    assert db_session.get(MeetingRequest, request_id) is None


def test_forbidden_for_other_roles(client: TestClient, db_session: Session) -> None:
    b2b = b2b_stop(db_session)
    user = create_user(db_session, role="company", company_id=b2b.registrations[0].company_id)
    db_session.commit()
    assert client.get(f"/manage/stops/{b2b.stop.id}/meetings", follow_redirects=False).status_code == 303
    sign_in_as(client, user)
    assert client.get(f"/manage/stops/{b2b.stop.id}/meetings").status_code == 403
    with pytest.raises(Forbidden):
        requests.consul_stop(b2b.stop.id or 0, user, db_session=db_session)
