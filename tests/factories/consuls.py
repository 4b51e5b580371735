"""Consulates, their representatives and the invitations of representatives to stops."""

from typing import Any

from sqlmodel import Session, select

from app.consuls.models import Consulate, ConsulateKind, Invitation, InvitationStatus, Representative
from app.stops.models import Stop
from tests.factories.sequence import next_number


def create_consulate(db_session: Session, *, country: str = "US", **overrides: Any) -> Consulate:
    """A consulate general of ``country`` in Milan; any Consulate column may be given."""
    n = next_number()
    values: dict[str, Any] = {
        "country_code": country,
        "kind": ConsulateKind.CONSULATE_GENERAL,
        "name_it": f"Consolato di prova {n}",
        "name_en": f"Test consulate {n}",
        "address": "Via Manzoni 1, 20121 Milano",
    }
    values.update(overrides)
    consulate = Consulate(**values)
    db_session.add(consulate)
    db_session.flush()
    return consulate


def create_representative(
    db_session: Session, *, consulate: Consulate | None = None, country: str = "US", **overrides: Any
) -> Representative:
    """A consul of ``consulate`` (a new one of ``country`` unless given); any Representative column
    may be given."""
    n = next_number()
    consulate = consulate or create_consulate(db_session, country=country)
    values: dict[str, Any] = {
        "name": f"Representative {n}",
        "title": "Consul",
        "email": f"rep{n}@consulate.example.org",
        "languages": ["en"],
        "preferred_language": "en",
    }
    values.update(overrides)
    person = Representative(consulate_id=consulate.id or 0, **values)
    db_session.add(person)
    db_session.flush()
    return person


def only_representatives_of(
    db_session: Session, country: str, count: int = 1, **overrides: Any
) -> list[Representative]:
    """Deactivate the seeded representations of ``country`` and give it ``count`` fresh representatives."""
    for seeded in db_session.exec(select(Consulate).where(Consulate.country_code == country)):
        seeded.active = False
        db_session.add(seeded)
    consulate = create_consulate(db_session, country=country)
    return [create_representative(db_session, consulate=consulate, **overrides) for _ in range(count)]


def create_invitation(
    db_session: Session,
    stop: Stop,
    representative: Representative | None = None,
    *,
    country: str | None = None,
    status: InvitationStatus | str = InvitationStatus.INVITED,
    language: str = "en",
    **overrides: Any,
) -> Invitation:
    """An invitation of ``representative`` to ``stop``, for their consulate's country.

    Without a representative, a new one of a new consulate of ``country`` (the US unless given) is
    invited, preferring ``language``. Any other Invitation column may be given.
    """
    if representative is None:
        representative = create_representative(
            db_session, country=country or "US", preferred_language=language
        )
    if country is None:
        consulate = db_session.get(Consulate, representative.consulate_id)
        assert consulate is not None
        country = consulate.country_code
    invitation = Invitation(
        stop_id=stop.id or 0,
        representative_id=representative.id or 0,
        country_code=country,
        status=InvitationStatus(status),
        **overrides,
    )
    db_session.add(invitation)
    db_session.flush()
    return invitation
