"""Signed links for representatives: their invitation link and their calendar feed.

Both carry only an id signed with the app's secret. An invitation link is valid until the
stop's date (checked against the stop, so a moved stop moves the link's validity with it);
a feed link lasts as long as the secret, since calendar apps keep polling the same address.
"""

from itsdangerous import BadSignature, URLSafeSerializer

from app.config import Settings

INVITATION_SALT = "consul-invitation"
FEED_SALT = "consul-calendar-feed"


def _serializer(settings: Settings, salt: str) -> URLSafeSerializer:
    return URLSafeSerializer(settings.secret_key, salt=salt)


def invitation_token(invitation_id: int, settings: Settings) -> str:
    return str(_serializer(settings, INVITATION_SALT).dumps(invitation_id))


def invitation_url(invitation_id: int, settings: Settings) -> str:
    return f"{settings.base_url.rstrip('/')}/consul/invitations/{invitation_token(invitation_id, settings)}"


def invitation_id_from(token: str, settings: Settings) -> int | None:
    return _load(token, settings, INVITATION_SALT)


def feed_token(representative_id: int, settings: Settings) -> str:
    return str(_serializer(settings, FEED_SALT).dumps(representative_id))


def feed_url(representative_id: int, settings: Settings) -> str:
    token = feed_token(representative_id, settings)
    return f"{settings.base_url.rstrip('/')}/consul/calendar.ics?token={token}"


def representative_id_from_feed(token: str, settings: Settings) -> int | None:
    return _load(token, settings, FEED_SALT)


def _load(token: str, settings: Settings, salt: str) -> int | None:
    try:
        value = _serializer(settings, salt).loads(token)
    except BadSignature:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None
