"""Revocable signed tokens: each one carries the credential version of the person it stands for.

Session cookies, API tokens and the representatives' invitation and calendar links are signed
with the app's secret and hold no state of their own. To make them revocable, each carries
``(id, version)``, and the row it names (a ``User``, a ``Representative``) keeps its current
``credential_version``. A token is honoured only while the two agree, so raising the version
revokes at once every token issued before: no table of revoked tokens, and no extra query,
since every check compares against the row the request loads anyway.

Tokens signed before versions existed (a bare id, or ``{"uid": id}``) read as version 0, the
version every row starts at: they keep working until their holder's first revocation.
"""

from dataclasses import dataclass
from typing import Protocol

from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from sqlmodel import Session, col, delete

from app.accounts.models import SignInToken, User

INITIAL_VERSION = 0


class Holder(Protocol):
    """A row whose tokens can be revoked."""

    id: int | None
    credential_version: int


@dataclass(frozen=True)
class Claim:
    """What a valid signature vouches for: an id, and the holder's credential version then.

    The id is the holder's own (a session names its user) or something of theirs (an
    invitation link names the invitation, its representative holds the version).
    """

    subject_id: int
    version: int

    def is_current_for(self, holder: Holder | None) -> bool:
        return holder is not None and holder.credential_version == self.version


def sign(
    serializer: URLSafeSerializer | URLSafeTimedSerializer, holder: Holder, subject_id: int | None = None
) -> str:
    """A token naming ``subject_id`` (by default the holder itself) at the holder's version."""
    subject_id = holder.id if subject_id is None else subject_id
    assert subject_id is not None, "the row must be flushed before a token is signed for it"
    return str(serializer.dumps([subject_id, holder.credential_version]))


def read(
    serializer: URLSafeSerializer | URLSafeTimedSerializer, token: str, *, max_age: int | None = None
) -> Claim | None:
    """The claim of a token signed by ``serializer``; None if forged, expired or malformed."""
    try:
        if isinstance(serializer, URLSafeTimedSerializer):
            payload = serializer.loads(token, max_age=max_age)
        else:
            payload = serializer.loads(token)
    except (BadSignature, SignatureExpired):
        return None
    return _claim(payload)


def _claim(payload: object) -> Claim | None:
    if isinstance(payload, dict):
        payload = payload.get("uid")
    if _is_int(payload):
        return Claim(payload, INITIAL_VERSION)  # type: ignore[arg-type]
    if isinstance(payload, list) and len(payload) == 2 and all(_is_int(part) for part in payload):
        return Claim(payload[0], payload[1])
    return None


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def revoke(holder: Holder, *, db_session: Session) -> None:
    """End every token signed for ``holder`` so far; tokens signed from now on work again."""
    holder.credential_version += 1
    db_session.add(holder)
    if isinstance(holder, User) and holder.id is not None:
        # Sign-in links are stored, not signed: revoking them is forgetting the unused ones.
        db_session.exec(
            delete(SignInToken).where(
                col(SignInToken.user_id) == holder.id, col(SignInToken.used_at).is_(None)
            )
        )
    db_session.flush()
