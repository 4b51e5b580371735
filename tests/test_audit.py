from sqlmodel import Session

from app.audit import service as audit_service
from tests.factories import create_stop, create_user


def test_records_who_changed_what_with_only_the_changed_values(db_session: Session) -> None:
    organiser = create_user(db_session)
    stop = create_stop(db_session, capacity=40)
    before = audit_service.snapshot(stop, countries=["US", "DE"])
    stop.capacity = 60
    after = audit_service.snapshot(stop, countries=["US", "DE"])
    old, new = audit_service.changed(before, after)
    event = audit_service.record(
        db_session=db_session,
        actor=organiser,
        action="update",
        entity_type="stop",
        entity_id=stop.id,
        before=old,
        after=new,
    )
    assert event.before == {"capacity": 40} and event.after == {"capacity": 60}
    assert event.actor_user_id == organiser.id and event.entity_id == str(stop.id)
