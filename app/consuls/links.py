"""Signed links for representatives: their invitation link, their calendar feed, and the
links that accept or decline a meeting request from an email.

Each carries an id and the representative's credential version, signed with the app's secret
(see ``accounts.credentials``): deactivating the representative raises the version, which
revokes every link sent so far. An invitation link is otherwise valid until the stop's date
(checked against the stop, so a moved stop moves the link's validity with it); a feed link
lasts as long as the secret, since calendar apps keep polling the same address.
"""

from itsdangerous import URLSafeSerializer

from app.accounts import credentials
from app.accounts.credentials import Claim
from app.config import Settings
from app.consuls.models import Invitation, Representative

INVITATION_SALT = "consul-invitation"
FEED_SALT = "consul-calendar-feed"


def _serializer(settings: Settings, salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(settings.secret_key, salt=salt)


def invitation_token(invitation: Invitation, person: Representative, settings: Settings) -> str:
    """The token of ``invitation``, good until ``person`` (its representative) is revoked."""
    assert invitation.representative_id == person.id, "an invitation's link carries its own representative"
    return credentials.sign(_serializer(settings, INVITATION_SALT), person, subject_id=invitation.id)


def invitation_url(invitation: Invitation, person: Representative, settings: Settings) -> str:
    token = invitation_token(invitation, person, settings)
    return f"{settings.base_url.rstrip('/')}/consul/invitations/{token}"


def invitation_claim(token: str, settings: Settings) -> Claim | None:
    """The invitation id and the version the link was signed at; None if forged."""
    return credentials.read(_serializer(settings, INVITATION_SALT), token)


def feed_token(person: Representative, settings: Settings) -> str:
    return credentials.sign(_serializer(settings, FEED_SALT), person)


def feed_url(person: Representative, settings: Settings) -> str:
    return f"{settings.base_url.rstrip('/')}/consul/calendar.ics?token={feed_token(person, settings)}"


def feed_claim(token: str, settings: Settings) -> Claim | None:
    return credentials.read(_serializer(settings, FEED_SALT), token)


# One salt per answer, so that an accept link can never be read as a decline link.
REQUEST_ANSWER_SALTS = {"accept": "consul-request-accept", "decline": "consul-request-decline"}


def request_answer_token(request_id: int, action: str, person: Representative, settings: Settings) -> str:
    """The token answering meeting request ``request_id`` (addressed to ``person``) with ``action``."""
    serializer = _serializer(settings, REQUEST_ANSWER_SALTS[action])
    return credentials.sign(serializer, person, subject_id=request_id)


def request_answer_url(request_id: int, action: str, person: Representative, settings: Settings) -> str:
    token = request_answer_token(request_id, action, person, settings)
    return settings.absolute_url(f"/consul/requests/{action}/{token}")


def request_answer_claim(token: str, action: str, settings: Settings) -> Claim | None:
    """The request id and the version the link was signed at; None if forged or for another answer."""
    salt = REQUEST_ANSWER_SALTS.get(action)
    return credentials.read(_serializer(settings, salt), token) if salt else None
