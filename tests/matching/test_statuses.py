"""Each request reads one truthful status, the same on the company's page, the consul's page and
in the schedule email: requested, accepted (waiting for the schedule), declined, expired,
scheduled with time and table, or not scheduled with the reason in plain words."""

from dataclasses import dataclass
from datetime import time
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.consuls.models import Invitation
from app.i18n import set_language
from app.matching import publishing
from app.matching.models import MeetingRequest, ScheduleRun
from app.matching.statuses import display_status
from app.stops.models import PublicationStatus
from tests.factories import (
    create_invitation,
    create_meeting,
    create_meeting_request,
    create_user,
    outbox,
    sign_in_as,
)
from tests.matching.b2b_helpers import B2BStop, b2b_stop

EXPECTED = {
    "en": {
        "us": "Scheduled",
        "us_detail": "14:00–14:20, table 1",
        "de": "Not scheduled",
        "de_detail": "representative fully booked",
        "fr": "Requested, waiting for an answer",
        "es": "Declined",
        "in": "Expired: no answer before the deadline",
        "draft": "Accepted, waiting for the schedule",
    },
    "it": {
        "us": "In calendario",
        "us_detail": "14:00–14:20, tavolo 1",
        "de": "Non inserita in calendario",
        "de_detail": "il rappresentante ha già un incontro in ogni fascia oraria disponibile",
        "fr": "Richiesta inviata, in attesa di risposta",
        "es": "Rifiutata",
        "in": "Scaduta: nessuna risposta entro il termine",
        "draft": "Accettata, in attesa del calendario",
    },
}


@dataclass
class Day:
    b2b: B2BStop
    requests: dict[str, MeetingRequest]
    invitations: dict[str, Invitation]


def _day(db_session: Session) -> Day:
    """One company with a request in every state; the US meeting placed, the German one left out."""
    b2b = b2b_stop(db_session, schedule_status=PublicationStatus.DRAFT)
    company = b2b.registrations[0]
    invitations = {"us": b2b.us, "de": b2b.de}
    for code in ("fr", "es", "in"):
        invitations[code] = create_invitation(db_session, b2b.stop, country=code.upper(), status="confirmed")
    states = {"us": "accepted", "de": "accepted", "fr": "pending", "es": "declined", "in": "expired"}
    requests = {
        code: create_meeting_request(db_session, company, invitations[code], status=status)
        for code, status in states.items()
    }
    create_meeting(db_session, requests["us"], slot_index=0, table_number=1)
    db_session.add(
        ScheduleRun(
            stop_id=b2b.stop.id or 0,
            objective=3,
            meeting_count=1,
            unscheduled=[{"request_id": requests["de"].id, "reason": "representative fully booked"}],
        )
    )
    db_session.flush()
    return Day(b2b, requests, invitations)


def _company_page(client: TestClient, db_session: Session, day: Day, language: str) -> str:
    company_id = day.b2b.registrations[0].company_id
    user = create_user(db_session, role="company", company_id=company_id)
    db_session.commit()
    sign_in_as(client, user)
    client.cookies.set("roadshow_lang", language)
    page = client.get(f"/my/stops/{day.b2b.stop.id}/meetings")
    assert page.status_code == 200
    return unescape(page.text)


@pytest.mark.parametrize("language", ["en", "it"])
def test_the_company_reads_each_status_before_and_after_publication(
    client: TestClient, db_session: Session, language: str
) -> None:
    day = _day(db_session)
    words = EXPECTED[language]
    before = _company_page(client, db_session, day, language)
    # Before publication the placed and the left-out request both wait for the schedule.
    assert before.count(words["draft"]) == 2
    assert words["us"] not in before and words["de"] not in before
    for code in ("fr", "es", "in"):
        assert words[code] in before

    publishing.publish(day.b2b.stop, base_url="http://testserver", db_session=db_session)
    db_session.commit()
    after = _company_page(client, db_session, day, language)
    assert words["draft"] not in after
    for code in ("us", "de", "fr", "es", "in"):
        assert words[code] in after, code
    assert words["us_detail"] in after and words["de_detail"] in after


@pytest.mark.parametrize("language", ["en", "it"])
def test_the_consul_reads_the_same_status(client: TestClient, db_session: Session, language: str) -> None:
    day = _day(db_session)
    words = EXPECTED[language]
    publishing.publish(day.b2b.stop, base_url="http://testserver", db_session=db_session)
    seen = {}
    for code in ("de", "us", "es", "fr"):
        invitation = day.invitations[code]
        user = create_user(db_session, role="consul", representative_id=invitation.representative_id)
        db_session.commit()
        sign_in_as(client, user)
        client.cookies.set("roadshow_lang", language)
        seen[code] = unescape(client.get(f"/consul/stops/{day.b2b.stop.id}/requests").text)
        assert words[code] in seen[code], code
    assert words["de_detail"] in seen["de"] and words["us_detail"] in seen["us"]
    assert words["us"] not in seen["de"]


@pytest.mark.parametrize("language", ["en", "it"])
def test_the_first_schedule_email_tells_a_company_why_a_request_was_left_out(
    db_session: Session, language: str
) -> None:
    day = _day(db_session)
    company = day.b2b.registrations[0]
    from app.companies.models import Company

    contact = db_session.get(Company, company.company_id)
    assert contact is not None
    contact.language = language
    publishing.publish(day.b2b.stop, base_url="http://testserver", db_session=db_session)
    [email] = outbox(db_session, contact.contact_email)
    heading = {
        "en": "Accepted requests not scheduled:",
        "it": "Richieste accettate non inserite in calendario:",
    }
    country = {"en": "Germany", "it": "Germania"}
    assert heading[language] in email.body_text
    assert f"- Consul Weber ({country[language]}): {EXPECTED[language]['de_detail']}" in email.body_text
    assert ("table 1" if language == "en" else "tavolo 1") in email.body_text


def test_a_company_whose_only_request_was_left_out_is_emailed_the_reason(db_session: Session) -> None:
    b2b = b2b_stop(db_session, schedule_status=PublicationStatus.DRAFT)
    placed = create_meeting_request(db_session, b2b.registrations[0], b2b.us)
    create_meeting(db_session, placed, slot_index=0, table_number=1)
    left_out = create_meeting_request(db_session, b2b.registrations[1], b2b.us)
    db_session.add(
        ScheduleRun(
            stop_id=b2b.stop.id or 0,
            objective=2,
            unscheduled=[{"request_id": left_out.id, "reason": "no common free slot"}],
        )
    )
    from app.companies.models import Company

    second = db_session.get(Company, b2b.registrations[1].company_id)
    assert second is not None
    publishing.publish(b2b.stop, base_url="http://testserver", db_session=db_session)
    [email] = outbox(db_session, second.contact_email)
    assert "nessuna fascia libera in comune" in email.body_text
    assert "Consul Ellison" in email.body_text and "tavolo" not in email.body_text


def test_display_status_is_a_function_of_plain_values() -> None:
    set_language("en")
    try:
        assert display_status("accepted", published=False).text == "Accepted, waiting for the schedule"
        scheduled = display_status("accepted", published=True, meeting=(time(10, 20), time(10, 40), 3))
        assert (scheduled.kind, scheduled.text) == ("scheduled", "Scheduled: 10:20–10:40, table 3")
        left = display_status("accepted", published=True, reason="company fully booked")
        assert left.text == "Not scheduled: company fully booked"
        assert display_status("accepted", published=True).detail.startswith("the organisers did not place")
        assert display_status("expired", published=True).kind == "expired"
        assert display_status("pending", published=True).kind == "pending"
    finally:
        set_language("it")
