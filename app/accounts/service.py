"""Accounts: creating people who sign in, passwords (Argon2) and signed session and API tokens."""

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from pwdlib import PasswordHash
from sqlmodel import Session, func, select

from app import clock
from app.accounts.models import Role, User
from app.errors import Conflict, InvalidInput
from app.i18n import gettext as _
from app.i18n import lazy

SESSION_MAX_AGE = 12 * 3600
API_TOKEN_MAX_AGE = 3600
MIN_PASSWORD_LENGTH = 10

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


@dataclass(frozen=True)
class Signer:
    """Signs the session cookie and API bearer tokens with the app's secret."""

    secret_key: str

    def _serializer(self, salt: str) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret_key, salt=salt)

    def session_cookie(self, user: User) -> str:
        return self._serializer("session").dumps({"uid": user.id})

    def api_token(self, user: User) -> str:
        return self._serializer("api-token").dumps({"uid": user.id})

    def user_id_from_session(self, value: str) -> int | None:
        return self._load("session", value, SESSION_MAX_AGE)

    def user_id_from_api_token(self, value: str) -> int | None:
        return self._load("api-token", value, API_TOKEN_MAX_AGE)

    def _load(self, salt: str, value: str, max_age: int) -> int | None:
        try:
            payload = self._serializer(salt).loads(value, max_age=max_age)
        except (BadSignature, SignatureExpired):
            return None
        uid = payload.get("uid") if isinstance(payload, dict) else None
        return uid if isinstance(uid, int) else None
