"""Access follows the roster: a deactivated representative's links and sessions end at once."""

import re

from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app.accounts import service as accounts_service
from app.accounts.models import SignInToken, User
from app.consuls import links
from app.consuls.models import Invitation, Representative
from app.notifications.models import OutboxMessage
from app.stops.models import Stop
from app.web import SESSION_COOKIE
from tests.factories import (
    create_invitation,
    create_stop,
    create_user,
    csrf_token,
    only_representatives_of,
    sign_in_as,
)

WITHDRAWN_EN = "This link has been withdrawn by the organisers"
WITHDRAWN_IT = "Questo link è stato ritirato dagli organizzatori"


def _invited(client: TestClient, db_session: Session) -> tuple[Representative, Stop, Invitation]:
    (person,) = only_representatives_of(db_session, "US")
    stop = create_stop(db_session, countries=("US",))
    invitation = create_invitation(db_session, stop, person)
    db_session.commit()
    return person, stop, invitation


def _set_active(client: TestClient, db_session: Session, person: Representative, active: bool) -> None:
    """An organiser flips the representative on the corps pages, in a browser of their own."""
    mine = client.cookies.get(SESSION_COOKIE)
    client.cookies.delete(SESSION_COOKIE)
    organiser = create_user(db_session, role="organiser")
    db_session.commit()
    sign_in_as(client, organiser)
    response = client.post(
        f"/manage/consuls/representatives/{person.id}/active",
        data={"active": "true" if active else "false", "csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    client.cookies.delete(SESSION_COOKIE)
    if mine:
        client.cookies.set(SESSION_COOKIE, mine)
    db_session.refresh(person)


def test_deactivating_a_representative_ends_their_invitation_link_feed_session_and_sign_in_links(
    client: TestClient, db_session: Session
) -> None:
    person, _stop, invitation = _invited(client, db_session)
    settings = client.app.state.settings  # type: ignore[attr-defined]
    invitation_path = f"/consul/invitations/{links.invitation_token(invitation, person, settings)}"
    feed = links.feed_token(person, settings)
    assert client.get(invitation_path).status_code == 200
    assert client.get("/consul").status_code == 200
    assert client.get("/consul/calendar.ics", params={"token": feed}).status_code == 200
    account = db_session.exec(select(User).where(User.representative_id == person.id)).one()
    sign_in_link = accounts_service.issue_link(db_session=db_session, user=account).split("/sign-in/")[1]
    db_session.commit()

    _set_active(client, db_session, person, active=False)

    # The session cookie the link gave them stops working on the next request.
    assert client.get("/consul", follow_redirects=False).headers["location"].startswith("/login")
    refused = client.get(invitation_path, headers={"Accept-Language": "en"})
    assert refused.status_code == 403 and WITHDRAWN_EN in refused.text
    assert SESSION_COOKIE not in refused.headers.get("set-cookie", "")
    # The reader chose Italian (the first visit set the cookie to their English).
    client.cookies.delete("roadshow_lang")
    client.cookies.set("roadshow_lang", "it")
    assert WITHDRAWN_IT in client.get(invitation_path).text
    answer = client.post(f"{invitation_path}/decline", data={"csrf_token": csrf_token(client)})
    assert answer.status_code == 403
    withdrawn_feed = client.get("/consul/calendar.ics", params={"token": feed})
    assert withdrawn_feed.status_code == 403 and "ritirato" in withdrawn_feed.text
    assert client.get(f"/sign-in/{sign_in_link}").status_code == 410
    unused = select(SignInToken).where(SignInToken.user_id == account.id, col(SignInToken.used_at).is_(None))
    assert db_session.exec(unused).all() == []
    # Asking for a new sign-in link sends nothing to a closed account.
    client.post("/sign-in", data={"email": person.email, "csrf_token": csrf_token(client)})
    emails = select(OutboxMessage).where(OutboxMessage.to_address == person.email)
    assert not any("/sign-in/" in message.body_text for message in db_session.exec(emails))
    db_session.refresh(invitation)
    assert invitation.status == "opened", "the refused link recorded no answer"


def test_reactivating_a_representative_revives_no_old_link_and_emails_fresh_ones(
    client: TestClient, db_session: Session
) -> None:
    person, stop, invitation = _invited(client, db_session)
    settings = client.app.state.settings  # type: ignore[attr-defined]
    old_path = f"/consul/invitations/{links.invitation_token(invitation, person, settings)}"
    old_feed = links.feed_token(person, settings)
    client.get(old_path)
    old_session = client.cookies.get(SESSION_COOKIE)

    _set_active(client, db_session, person, active=False)
    _set_active(client, db_session, person, active=True)

    client.cookies.set(SESSION_COOKIE, old_session or "")
    assert client.get("/consul", follow_redirects=False).status_code == 303
    assert client.get(old_path).status_code == 403
    assert client.get("/consul/calendar.ics", params={"token": old_feed}).status_code == 403
    emails = db_session.exec(
        select(OutboxMessage).where(OutboxMessage.to_address == person.email).order_by(col(OutboxMessage.id))
    ).all()
    assert len(emails) == 1 and str(stop.title_en) in emails[0].subject
    match = re.search(r"http://[^\s]+(/consul/invitations/[^\s<\"]+)", emails[0].body_text)
    assert match and match.group(1) != old_path
    client.cookies.clear()
    fresh = client.get(match.group(1))
    assert fresh.status_code == 200 and SESSION_COOKIE in fresh.headers["set-cookie"]
    assert client.get("/consul").status_code == 200
    fresh_feed = links.feed_token(person, settings)
    assert client.get("/consul/calendar.ics", params={"token": fresh_feed}).status_code == 200


def test_links_signed_before_versions_existed_still_work_until_a_revocation(
    client: TestClient, db_session: Session
) -> None:
    person, _stop, invitation = _invited(client, db_session)
    settings = client.app.state.settings  # type: ignore[attr-defined]
    # The former format: the bare invitation id, signed with the same salt.
    legacy = links._serializer(settings, links.INVITATION_SALT).dumps(invitation.id)
    assert client.get(f"/consul/invitations/{legacy}").status_code == 200
    _set_active(client, db_session, person, active=False)
    _set_active(client, db_session, person, active=True)
    assert client.get(f"/consul/invitations/{legacy}").status_code == 403
