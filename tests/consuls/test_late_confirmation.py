"""After publication a representative who never confirmed may still do so; the organisers see it
until they run the scheduler again. Every consul page names the organisers' contact."""

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session

from app import clock
from app.consuls import links
from app.consuls.models import InvitationStatus
from app.matching.models import ScheduleRun
from app.stops.models import PublicationStatus
from tests.factories import (
    create_invitation,
    create_stop,
    create_user,
    csrf_token,
    only_representatives_of,
    sign_in_as,
)


def test_a_late_confirmation_is_recorded_and_shown_to_the_organisers_until_they_rerun(
    client: TestClient, db_session: Session
) -> None:
    (person,) = only_representatives_of(db_session, "US")
    stop = create_stop(db_session, countries=("US",), b2b_slots=4, b2b_tables=2)
    stop.schedule_status = PublicationStatus.PUBLISHED
    invitation = create_invitation(db_session, stop, person)
    organiser = create_user(db_session, role="organiser")
    db_session.commit()
    token = links.invitation_token(invitation, person, client.app.state.settings)  # type: ignore[attr-defined]
    page = client.get(f"/consul/invitations/{token}")
    assert "you can still confirm your attendance" in page.text
    answered = client.post(
        f"/consul/invitations/{token}/confirm",
        data={"slots": ["0", "1"], "csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert answered.status_code == 303
    db_session.refresh(invitation)
    assert invitation.status == InvitationStatus.CONFIRMED and invitation.confirmed_late_at is not None

    client.cookies.clear()
    sign_in_as(client, organiser)
    english = {"Accept-Language": "en"}
    notice = f"{person.name} confirmed after the meeting schedule was published"
    assert notice in client.get(f"/manage/stops/{stop.id}/consuls", headers=english).text
    dashboard = client.get("/manage", headers=english).text
    assert f"{person.name} confirmed for" in dashboard and "re-run the scheduler" in dashboard

    db_session.add(
        ScheduleRun(stop_id=stop.id or 0, objective=0, created_at=clock.now() + timedelta(minutes=1))
    )
    db_session.commit()
    assert notice not in client.get(f"/manage/stops/{stop.id}/consuls", headers=english).text
    assert f"{person.name} confirmed for" not in client.get("/manage", headers=english).text


def test_every_consul_page_names_the_organisers_contact(client: TestClient, db_session: Session) -> None:
    settings = client.app.state.settings  # type: ignore[attr-defined]
    (person,) = only_representatives_of(db_session, "US")
    stop = create_stop(db_session, countries=("US",), b2b_slots=4, b2b_tables=2)
    invitation = create_invitation(db_session, stop, person, status="confirmed")
    user = create_user(db_session, role="consul", representative_id=person.id, email=person.email)
    db_session.commit()
    token = links.invitation_token(invitation, person, settings)
    sign_in_as(client, user)
    for url in (
        "/consul",
        f"/consul/stops/{stop.id}",
        f"/consul/stops/{stop.id}/requests",
        f"/consul/stops/{stop.id}/agenda",
        f"/consul/invitations/{token}",
    ):
        page = client.get(url)
        assert page.status_code == 200, url
        assert settings.organiser_email in page.text and settings.organiser_phone in page.text, url
