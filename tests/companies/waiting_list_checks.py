"""The one check every seat-freeing path shares: the head of the list goes first."""

from sqlmodel import Session

from app.companies.models import Registration, RegistrationStatus
from app.stops.models import Stop
from tests.factories import create_registration


def assert_head_promoted_before_a_newcomer(
    db_session: Session, stop: Stop, head: Registration, behind: Registration
) -> None:
    db_session.refresh(head)
    db_session.refresh(behind)
    assert head.status == RegistrationStatus.CONFIRMED and head.waitlist_position is None
    assert behind.status == RegistrationStatus.WAITLISTED and behind.waitlist_position == 1
    newcomer = create_registration(db_session, stop)
    assert newcomer.status == RegistrationStatus.WAITLISTED and newcomer.waitlist_position == 2
