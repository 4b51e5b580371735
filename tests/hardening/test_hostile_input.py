"""Script and SQL-injection strings typed into every text field of the main forms are stored
exactly as typed and shown escaped wherever they appear (pages and emails).

Each case opens the form as its user would, keeps every field the page offers, puts the hostile
string in the free-text fields, submits, and then reads the pages that show those fields.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app import clock
from app.agenda.models import AgendaItem, AgendaSpeaker
from app.companies.models import Attendee, Company, Registration
from app.consuls import links
from app.consuls.models import Consulate, Invitation, Representative
from app.matching.models import MeetingRequest
from app.notifications.models import OutboxMessage
from app.stops.models import PublicationStatus, Stop, StopStatus
from tests.factories import (
    create_consulate,
    create_invitation,
    create_registration,
    create_stop,
    create_user,
    csrf_token,
    sign_in_as,
    vat_number,
)
from tests.hardening.forms import filled, form_fields

HOSTILE = [
    "'; DROP TABLE stop; --",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "{{7*7}}",
]
PAYLOAD = " ".join(HOSTILE)
NOW = datetime(2026, 11, 21, 9, 0, tzinfo=UTC)


def assert_shown_escaped(html: str, where: str) -> None:
    assert "<script>alert(1)</script>" not in html, f"raw script on {where}"
    assert "<img src=x onerror" not in html, f"raw image tag on {where}"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, f"the typed text is not shown on {where}"
    assert "{{7*7}}" in html, f"the template expression was evaluated (or dropped) on {where}"


@dataclass
class Form:
    """A form as its user sees it: where it is, where it posts, and what the test types in."""

    page: str
    action: str
    hostile: list[str]
    values: dict[str, str | list[str]] = field(default_factory=dict)
    expected_status: int = 200


@dataclass
class Case:
    form: Form
    shown_on: Callable[[], list[str]]
    stored: Callable[[], list[str]]
    rejected: bool = False  # the fields only take structured values: the form comes back with errors


def submit(client: TestClient, form: Form) -> str:
    page = client.get(form.page)
    assert page.status_code == 200, page.text[:300]
    values: dict[str, str | list[str]] = {name: PAYLOAD for name in form.hostile}
    values |= form.values | {"csrf_token": csrf_token(client)}
    data = filled(form_fields(page.text, form.action), values)
    response = client.post(
        form.action,
        content=urlencode(data),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    problems = re.findall(r'id="([^"]*)-error"[^>]*>([^<]*)<', response.text)
    assert response.status_code == form.expected_status, (
        response.status_code,
        problems or response.text[:1000],
    )
    return response.text


def public_registration(client: TestClient, db_session: Session) -> Case:
    stop = create_stop(db_session, attendees_per_company=1)
    form = Form(
        page=f"/stops/{stop.id}/register",
        action=f"/stops/{stop.id}/register",
        hostile=["name", "contact_name", "contact_role", "attendees.0.name", "attendees.0.role", "note"],
        values={
            "vat_number": vat_number(),
            "contact_email": "hostile@example.org",
            "attendees.0.email": "hostile@example.org",
            "privacy": "yes",
        },
        expected_status=200,  # the signed receipt page the registration redirects to
    )
    organiser = create_user(db_session, role="organiser")

    def shown_on() -> list[str]:
        sign_in_as(client, organiser)
        return [f"/manage/stops/{stop.id}/registrations"]

    def stored() -> list[str]:
        registration = db_session.exec(select(Registration).where(Registration.stop_id == stop.id)).one()
        company = db_session.get(Company, registration.company_id)
        person = db_session.exec(select(Attendee).where(Attendee.registration_id == registration.id)).one()
        assert company is not None
        return [
            company.name,
            company.contact_name,
            company.contact_role,
            person.name,
            person.role,
            registration.note,
        ]

    return Case(form, shown_on, stored)


def company_profile(client: TestClient, db_session: Session) -> Case:
    stop = create_stop(db_session)
    registration = create_registration(db_session, stop, status="confirmed")
    sign_in_as(client, create_user(db_session, role="company", company_id=registration.company_id))
    form = Form(page="/my/company", action="/my/company", hostile=["name", "contact_name", "contact_role"])
    organiser = create_user(db_session, role="organiser")

    def shown_on() -> list[str]:
        for url in ("/my/company", "/my"):
            assert_shown_escaped(client.get(url).text, url)
        sign_in_as(client, organiser)
        return [f"/manage/stops/{stop.id}/registrations"]

    def stored() -> list[str]:
        company = db_session.get(Company, registration.company_id)
        assert company is not None
        db_session.refresh(company)
        return [company.name, company.contact_name, company.contact_role]

    return Case(form, shown_on, stored)


STOP_TEXT = ["title_it", "title_en", "description_it", "description_en", "city", "venue", "venue_address"]


def _stop_case(client: TestClient, db_session: Session, *, editing: bool) -> Case:
    sign_in_as(client, create_user(db_session, role="organiser"))
    existing = create_stop(db_session) if editing else None
    path = f"/manage/stops/{existing.id}/edit" if existing else "/manage/stops/new"
    values: dict[str, str | list[str]] = {}
    if not editing:
        values = {"date": "2027-06-15", "capacity": "40", "countries": ["US", "DE"]}
        values |= {"sector": "aerospace", "territory": "VA"}
    form = Form(page=path, action=path, hostile=STOP_TEXT, values=values)

    def the_stop() -> Stop:
        if existing is not None:
            db_session.refresh(existing)
            return existing
        found = db_session.exec(select(Stop).where(Stop.city == PAYLOAD)).one()
        return found

    def shown_on() -> list[str]:
        stop = the_stop()
        stop.status = StopStatus.PUBLISHED
        db_session.add(stop)
        db_session.commit()
        return [f"/manage/stops/{stop.id}", "/manage/stops", f"/stops/{stop.id}", "/"]

    def stored() -> list[str]:
        stop = the_stop()
        return [getattr(stop, name) for name in STOP_TEXT]

    return Case(form, shown_on, stored)


def stop_create(client: TestClient, db_session: Session) -> Case:
    return _stop_case(client, db_session, editing=False)


def stop_edit(client: TestClient, db_session: Session) -> Case:
    return _stop_case(client, db_session, editing=True)


def _invitation_page(client: TestClient, db_session: Session) -> tuple[Stop, Invitation, str]:
    stop = create_stop(db_session, b2b_first_slot=time(14, 0), b2b_slot_count=4, b2b_tables=4)
    invitation = create_invitation(db_session, stop, status="invited")
    settings = client.app.state.settings  # type: ignore[attr-defined]
    person = db_session.get(Representative, invitation.representative_id)
    assert person is not None
    token = links.invitation_token(invitation, person, settings)
    db_session.commit()
    return stop, invitation, f"/consul/invitations/{token}"


def consul_answer(client: TestClient, db_session: Session) -> Case:
    stop, invitation, page = _invitation_page(client, db_session)
    form = Form(page=page, action=f"{page}/confirm", hostile=["topics"], values={"slots": ["0", "1"]})
    organiser = create_user(db_session, role="organiser")

    def shown_on() -> list[str]:
        sign_in_as(client, organiser)
        return [f"/manage/stops/{stop.id}/consuls"]

    def stored() -> list[str]:
        db_session.refresh(invitation)
        return [invitation.topics]

    return Case(form, shown_on, stored)


def consul_delegate(client: TestClient, db_session: Session) -> Case:
    stop, _invitation, page = _invitation_page(client, db_session)
    form = Form(
        page=page,
        action=f"{page}/delegate",
        hostile=["delegate_name", "delegate_title"],
        values={"delegate_email": "delegate@consulate.example.org"},
    )
    organiser = create_user(db_session, role="organiser")

    def shown_on() -> list[str]:
        sign_in_as(client, organiser)
        return [f"/manage/stops/{stop.id}/consuls"]

    def stored() -> list[str]:
        person = db_session.exec(
            select(Representative).where(Representative.email == "delegate@consulate.example.org")
        ).one()
        return [person.name, person.title]

    return Case(form, shown_on, stored)


def consulate_form(client: TestClient, db_session: Session) -> Case:
    sign_in_as(client, create_user(db_session, role="organiser"))
    form = Form(
        page="/manage/consuls",
        action="/manage/consuls",
        hostile=["name_it", "name_en", "address"],
        values={"country_code": "US"},
    )

    def the_consulate() -> Consulate:
        return db_session.exec(select(Consulate).where(Consulate.name_en == PAYLOAD)).one()

    def shown_on() -> list[str]:
        return ["/manage/consuls", f"/manage/consuls/{the_consulate().id}"]

    def stored() -> list[str]:
        consulate = the_consulate()
        return [consulate.name_it, consulate.name_en, consulate.address]

    return Case(form, shown_on, stored)


def representative_form(client: TestClient, db_session: Session) -> Case:
    sign_in_as(client, create_user(db_session, role="organiser"))
    consulate = create_consulate(db_session, country="US")
    path = f"/manage/consuls/{consulate.id}"
    form = Form(
        page=path,
        action=f"{path}/representatives",
        hostile=["name", "title"],
        values={"email": "hostile.rep@consulate.example.org"},
    )

    def the_person() -> Representative:
        return db_session.exec(
            select(Representative).where(Representative.email == "hostile.rep@consulate.example.org")
        ).one()

    def shown_on() -> list[str]:
        return [path, f"/manage/consuls/representatives/{the_person().id}"]

    def stored() -> list[str]:
        person = the_person()
        return [person.name, person.title]

    return Case(form, shown_on, stored)


AGENDA_TEXT = [
    "title_it",
    "title_en",
    "description_it",
    "description_en",
    "room",
    "speaker_name",
    "speaker_affiliation",
]


def agenda_item_form(client: TestClient, db_session: Session) -> Case:
    sign_in_as(client, create_user(db_session, role="organiser"))
    stop = create_stop(db_session, agenda_status=PublicationStatus.PUBLISHED)
    registration = create_registration(db_session, stop, status="confirmed")
    path = f"/manage/stops/{stop.id}/agenda"
    form = Form(
        page=path,
        action=f"{path}/items",
        hostile=AGENDA_TEXT,
        values={"kind": "keynote", "starts_at": "10:00", "ends_at": "10:30"},
    )
    company_user = create_user(db_session, role="company", company_id=registration.company_id)

    def shown_on() -> list[str]:
        html = client.get(f"/stops/{stop.id}").text
        assert_shown_escaped(html, "the public stop page")
        sign_in_as(client, company_user)
        return [f"/my/stops/{stop.id}/agenda", f"/my/stops/{stop.id}/agenda/print"]

    def stored() -> list[str]:
        item = db_session.exec(select(AgendaItem).where(AgendaItem.stop_id == stop.id)).one()
        speaker = db_session.exec(select(AgendaSpeaker).where(AgendaSpeaker.item_id == item.id)).one()
        texts = [item.title_it, item.title_en, item.description_it, item.description_en, item.room]
        return [*texts, speaker.name, speaker.affiliation]

    return Case(form, shown_on, stored)


def meeting_request_goal(client: TestClient, db_session: Session) -> Case:
    stop = create_stop(db_session, b2b_first_slot=time(14, 0), b2b_slot_count=4, b2b_tables=4)
    registration = create_registration(db_session, stop, status="confirmed")
    invitation = create_invitation(db_session, stop, country="US", status="confirmed")
    sign_in_as(client, create_user(db_session, role="company", company_id=registration.company_id))
    path = f"/my/stops/{stop.id}/meetings"
    form = Form(
        page=path,
        action=path,
        hostile=["goal"],
        values={"invitation_id": str(invitation.id), "priority": "high"},
    )
    consul = create_user(db_session, role="consul", representative_id=invitation.representative_id)

    def shown_on() -> list[str]:
        html = client.get(path).text
        assert_shown_escaped(html, "the company's meetings page")
        sign_in_as(client, consul)
        return [f"/consul/stops/{stop.id}/requests"]

    def stored() -> list[str]:
        request = db_session.exec(select(MeetingRequest).where(MeetingRequest.stop_id == stop.id)).one()
        return [request.goal]

    return Case(form, shown_on, stored)


def planner_inputs(client: TestClient, db_session: Session) -> Case:
    sign_in_as(client, create_user(db_session, role="organiser"))
    form = Form(
        page="/manage/planning",
        action="/manage/planning",
        hostile=["blackouts", "country_unavailable.US", "territory_unavailable.VA"],
        expected_status=422,
    )
    return Case(form, lambda: [], lambda: [], rejected=True)


CASES = [
    public_registration,
    company_profile,
    stop_create,
    stop_edit,
    consul_answer,
    consul_delegate,
    consulate_form,
    representative_form,
    agenda_item_form,
    meeting_request_goal,
    planner_inputs,
]


@pytest.mark.parametrize("make_case", CASES, ids=[c.__name__ for c in CASES])
def test_hostile_strings_are_stored_as_typed_and_shown_escaped(
    client: TestClient, db_session: Session, make_case: Callable[[TestClient, Session], Case]
) -> None:
    clock.set_source(lambda: NOW)
    case = make_case(client, db_session)
    db_session.commit()
    before = len(db_session.exec(select(OutboxMessage)).all())
    answer = submit(client, case.form)
    assert_shown_escaped(answer, f"the answer to {case.form.action}")
    if case.rejected:
        return
    assert case.stored() == [PAYLOAD] * len(case.stored())
    for url in case.shown_on():
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.text[:300]}"
        assert_shown_escaped(response.text, url)
    emails = db_session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id))).all()[before:]
    for message in emails:
        assert "<script>alert(1)</script>" not in message.body_html, message.template
        assert "<img src=x onerror" not in message.body_html, message.template
