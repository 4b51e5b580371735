"""People who sign in: organisers and admins with a password, companies and consuls by link."""

from sqlmodel import Session

from app.accounts import service as accounts_service
from app.accounts.models import Role, User
from tests.factories.companies import create_company
from tests.factories.consuls import create_representative
from tests.factories.sequence import PASSWORD, next_number

_STAFF = (Role.ORGANISER, Role.ADMIN)


def create_user(
    db_session: Session,
    *,
    role: Role | str = Role.ORGANISER,
    password: str | None = None,
    email: str | None = None,
    company_id: int | None = None,
    representative_id: int | None = None,
    language: str = "it",
) -> User:
    """An active account, made by the accounts service.

    Staff sign in with ``password`` (``PASSWORD`` unless given); companies and consuls sign in by
    link and have none unless given. A company user without ``company_id`` gets a company of its
    own (the user's email as its contact), a consul without ``representative_id`` a representative
    of a new consulate.
    """
    role = Role(role)
    n = next_number()
    email = email or f"person{n}@example.org"
    if role == Role.COMPANY and company_id is None:
        company_id = create_company(db_session, contact_email=email, language=language).id
    if role == Role.CONSUL and representative_id is None:
        representative = create_representative(db_session, email=email, preferred_language=language)
        representative_id = representative.id
    if role in _STAFF and password is None:
        password = PASSWORD
    return accounts_service.create(
        email,
        role=role,
        password=password,
        company_id=company_id,
        representative_id=representative_id,
        language=language,
        db_session=db_session,
    )
