"""Accounts: people who sign in, passwords (Argon2), single-use links, session and API tokens."""

import hashlib
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta

from email_validator import EmailNotValidError, validate_email
from itsdangerous import URLSafeTimedSerializer
from pwdlib import PasswordHash
from sqlalchemy import bindparam
from sqlmodel import Session, col, delete, func, select, update

from app import clock
from app.accounts import credentials
from app.accounts.models import Role, SignInToken, User
from app.audit import service as audit_service
from app.config import get_settings
from app.errors import Conflict, Forbidden, InvalidInput, NotFound
from app.freshness import service as freshness
from app.i18n import gettext as _
from app.i18n import lazy
from app.notifications.service import queue_email
from app.notifications.worker import register_periodic_job

SESSION_MAX_AGE = 12 * 3600
API_TOKEN_MAX_AGE = 3600
MIN_PASSWORD_LENGTH = 10
LINK_LIFETIME = timedelta(minutes=30)
STAFF_ROLES = (Role.ORGANISER, Role.ADMIN)
# People who sign in with an emailed link rather than a password.
LINK_ROLES = (Role.COMPANY, Role.CONSUL)

_hasher = PasswordHash.recommended()
# Verified against when the email is unknown, so that both cases take the same time.
_DUMMY_HASH = _hasher.hash("a password nobody has")


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError as exc:
        raise InvalidInput({"email": _("Enter a valid email address.")}) from exc


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def get_by_email(email: str, *, db_session: Session) -> User | None:
    return db_session.exec(select(User).where(func.lower(User.email) == email.strip().lower())).first()


def get(user_id: int, *, db_session: Session) -> User | None:
    return db_session.get(User, user_id)


# Built once: every signed-in request runs it, and building a statement costs about a tenth of
# a millisecond of the few a page takes.
_SIGNED_IN = freshness.stamped(select(User).where(User.id == bindparam("user_id")))


def get_signed_in(user_id: int, *, db_session: Session) -> User | None:
    """The user a request is signed in as, read with the public data's tokens (which most
    pages need next) in the same statement."""
    return freshness.first_stamped(_SIGNED_IN, {"user_id": user_id}, db_session=db_session)


def create(
    email: str,
    *,
    role: Role,
    db_session: Session,
    password: str | None = None,
    company_id: int | None = None,
    representative_id: int | None = None,
    language: str = "it",
) -> User:
    email = normalise_email(email)
    needs_password = role in (Role.ORGANISER, Role.ADMIN)
    if needs_password and (password is None or len(password) < MIN_PASSWORD_LENGTH):
        raise InvalidInput({"password": _("Use a password of at least %d characters.") % MIN_PASSWORD_LENGTH})
    if get_by_email(email, db_session=db_session) is not None:
        raise Conflict(lazy("An account with this email already exists."))
    user = User(
        email=email,
        role=role,
        password_hash=hash_password(password) if password else None,
        company_id=company_id,
        representative_id=representative_id,
        language=language,
    )
    db_session.add(user)
    db_session.flush()
    return user


def authenticate(email: str, password: str, *, db_session: Session) -> User | None:
    """The user if the password is right; None for a wrong password and an unknown user alike."""
    user = get_by_email(email, db_session=db_session)
    if user is None or user.password_hash is None or not user.is_active:
        _hasher.verify(password, _DUMMY_HASH)
        return None
    valid, new_hash = _hasher.verify_and_update(password, user.password_hash)
    if not valid:
        return None
    if new_hash:
        user.password_hash = new_hash
    user.last_login_at = clock.now()
    db_session.add(user)
    db_session.flush()
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def is_local_path(path: str) -> bool:
    """A path on this site: never a link that sends a visitor to another one."""
    return path.startswith("/") and not path.startswith("//") and "\\" not in path


def issue_link(
    *,
    db_session: Session,
    user: User,
    purpose: str = "sign_in",
    next_path: str = "/account",
    lifetime: timedelta = LINK_LIFETIME,
) -> str:
    """A single-use link that signs ``user`` in and leads to ``next_path``: the absolute URL.

    Only the SHA-256 of the random token is stored, so a copy of the database opens no account.
    Invitation and confirmation emails of other areas carry links of this kind.
    """
    if not is_local_path(next_path):
        raise ValueError(f"next_path must be a local path, not {next_path!r}")
    assert user.id is not None, "the user must be flushed before a link is issued"
    token = secrets.token_urlsafe(32)
    db_session.add(
        SignInToken(
            token_hash=_token_hash(token),
            user_id=user.id,
            purpose=purpose,
            next_path=next_path,
            expires_at=clock.now() + lifetime,
        )
    )
    db_session.flush()
    return f"{get_settings().base_url.rstrip('/')}/sign-in/{token}"


def find_link(token: str, *, db_session: Session) -> tuple[SignInToken, User] | None:
    """The link and its person while it can still be used; None once used, expired or unknown."""
    link = db_session.exec(select(SignInToken).where(SignInToken.token_hash == _token_hash(token))).first()
    if link is None or link.used_at is not None or link.expires_at <= clock.now():
        return None
    user = get(link.user_id, db_session=db_session)
    if user is None or not user.is_active:
        return None
    return link, user


def use_link(token: str, *, db_session: Session) -> tuple[SignInToken, User] | None:
    """Spend the link: of two concurrent uses, exactly one gets the person."""
    now = clock.now()
    spent = db_session.exec(
        update(SignInToken)
        .where(
            col(SignInToken.token_hash) == _token_hash(token),
            col(SignInToken.used_at).is_(None),
            col(SignInToken.expires_at) > now,
        )
        .values(used_at=now)
    )
    if spent.rowcount != 1:
        return None
    link = db_session.exec(select(SignInToken).where(SignInToken.token_hash == _token_hash(token))).one()
    db_session.refresh(link)
    user = get(link.user_id, db_session=db_session)
    if user is None or not user.is_active:
        return None
    user.last_login_at = now
    db_session.add(user)
    db_session.flush()
    return link, user


def request_sign_in_link(email: str, *, db_session: Session, next_path: str = "/account") -> bool:
    """Email a sign-in link to a company's or consul's address; False (silently) for anyone else.

    The caller answers the same either way, so the page tells nobody which emails are known.
    """
    user = get_by_email(normalise_email(email), db_session=db_session)
    if user is None or not user.is_active or user.role not in LINK_ROLES:
        return False
    link = issue_link(db_session=db_session, user=user, next_path=next_path)
    queue_email(
        db_session=db_session,
        to=user.email,
        template="accounts/emails/sign_in_link",
        context={"link": link, "minutes": int(LINK_LIFETIME.total_seconds() // 60)},
        language=user.language,
    )
    return True


def delete_stale_links(*, db_session: Session, older_than: timedelta = timedelta(days=7)) -> int:
    """Forget links that expired long ago (periodic job of the worker)."""
    result = db_session.exec(
        delete(SignInToken).where(col(SignInToken.expires_at) < clock.now() - older_than)
    )
    return int(result.rowcount)


@register_periodic_job("accounts.forget-stale-records", every=timedelta(hours=1))
def forget_stale_records(*, db_session: Session) -> None:
    """Old sign-in links and rate-limit windows serve nobody: delete them."""
    from app.accounts.limits import delete_old_counters

    delete_stale_links(db_session=db_session)
    delete_old_counters(db_session=db_session)


def list_staff(*, db_session: Session) -> Sequence[User]:
    """Organisers and admins, active first, by email."""
    return db_session.exec(
        select(User)
        .where(col(User.role).in_(STAFF_ROLES))
        .order_by(col(User.is_active).desc(), col(User.email))
    ).all()


def create_organiser(*, db_session: Session, actor: User, email: str, password: str, language: str) -> User:
    user = create(email, role=Role.ORGANISER, password=password, language=language, db_session=db_session)
    audit_service.record(
        db_session=db_session,
        actor=actor,
        action="create",
        entity_type="user",
        entity_id=user.id,
        after=_staff_snapshot(user),
    )
    return user


def set_staff_active(*, db_session: Session, actor: User, user_id: int, active: bool) -> User:
    """Deactivate (or reactivate) an organiser.

    Deactivating revokes their sessions, API tokens and links at once, so that reactivating
    later brings none of them back: the organiser signs in afresh.
    """
    user = get(user_id, db_session=db_session)
    if user is None or user.role not in STAFF_ROLES:
        raise NotFound()
    if user.id == actor.id and not active:
        raise Forbidden(lazy("You cannot deactivate your own account."))
    if user.is_active == active:
        return user
    before = _staff_snapshot(user)
    user.is_active = active
    if not active:
        credentials.revoke(user, db_session=db_session)
    db_session.add(user)
    db_session.flush()
    audit_service.record(
        db_session=db_session,
        actor=actor,
        action="activate" if active else "deactivate",
        entity_type="user",
        entity_id=user.id,
        before={"is_active": before["is_active"]},
        after={"is_active": active},
    )
    return user


def _staff_snapshot(user: User) -> dict[str, object]:
    # Never the password hash, not even in the audit log.
    return {
        "email": user.email,
        "role": str(user.role),
        "language": user.language,
        "is_active": user.is_active,
    }


@dataclass(frozen=True)
class Signer:
    """Signs the session cookie and API bearer tokens with the app's secret.

    Both carry the user's credential version, so that revoking the user ends them at once.
    """

    secret_key: str

    def _serializer(self, salt: str) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret_key, salt=salt)

    def session_cookie(self, user: User) -> str:
        return credentials.sign(self._serializer("session"), user)

    def api_token(self, user: User) -> str:
        return credentials.sign(self._serializer("api-token"), user)

    def session_claim(self, value: str) -> credentials.Claim | None:
        return credentials.read(self._serializer("session"), value, max_age=SESSION_MAX_AGE)

    def api_token_claim(self, value: str) -> credentials.Claim | None:
        return credentials.read(self._serializer("api-token"), value, max_age=API_TOKEN_MAX_AGE)
