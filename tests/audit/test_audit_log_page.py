import re
from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.audit import service as audit_service
from app.audit.models import AuditEvent
from tests.factories import create_user, sign_in_as


def _event(
    db_session: Session, actor_id: int | None, action: str, entity_type: str, day: int, **values: object
) -> None:
    db_session.add(
        AuditEvent(
            actor_user_id=actor_id,
            action=action,
            entity_type=entity_type,
            entity_id="7",
            occurred_at=datetime(2026, 3, day, 10, tzinfo=UTC),
            before={k: v[0] for k, v in values.items()},  # type: ignore[index]
            after={k: v[1] for k, v in values.items()},  # type: ignore[index]
        )
    )


def test_admins_filter_the_audit_log_and_read_before_and_after(
    client: TestClient, db_session: Session
) -> None:
    admin = create_user(db_session, role="admin")
    anna = create_user(db_session, role="organiser", email="anna@example.org")
    bruno = create_user(db_session, role="organiser", email="bruno@example.org")
    _event(db_session, anna.id, "update", "stop", 2, capacity=(40, 60), city=("Varese", "Como"))
    _event(db_session, bruno.id, "update", "stop", 10, capacity=(60, 80))
    _event(db_session, anna.id, "cancel", "registration", 20, status=("confirmed", "cancelled"))
    db_session.commit()
    sign_in_as(client, admin)

    by_anna = client.get("/manage/audit", params={"actor": anna.id}).text
    assert "2 modifiche" in by_anna and "bruno" not in by_anna.split("<main")[1].split("</form>")[1]
    stops = client.get("/manage/audit", params={"entity_type": "stop", "action": "update"}).text
    assert "2 modifiche" in stops
    march_first_week = client.get(
        "/manage/audit", params={"date_from": "2026-03-01", "date_to": "2026-03-07"}
    )
    assert "1 modifica" in march_first_week.text
    assert (
        "Varese" in march_first_week.text
        and "Como" in march_first_week.text
        and "40" in march_first_week.text
    )


def test_bad_filters_get_messages_next_to_the_fields(client: TestClient, db_session: Session) -> None:
    sign_in_as(client, create_user(db_session, role="admin"))
    response = client.get("/manage/audit", params={"date_from": "2026-13-01", "date_to": "2026-01-01"})
    assert response.status_code == 422
    assert (
        "Inserisca una data nel formato AAAA-MM-GG." in response.text
        and 'aria-invalid="true"' in response.text
    )
    reversed_range = client.get("/manage/audit", params={"date_from": "2026-02-01", "date_to": "2026-01-01"})
    assert "La data di fine è precedente a quella di inizio." in reversed_range.text


def test_the_audit_log_is_paginated(client: TestClient, db_session: Session) -> None:
    admin = create_user(db_session, role="admin")
    for n in range(55):
        audit_service.record(
            db_session=db_session, actor=admin, action="pagination", entity_type="probe", entity_id=n
        )
    db_session.commit()
    sign_in_as(client, admin)
    first = client.get("/manage/audit", params={"action": "pagination"}).text
    assert "Pagina 1 di 2" in first and 'rel="next"' in first and "probe #54" in first
    second = client.get("/manage/audit", params={"action": "pagination", "page": 2}).text
    assert "Pagina 2 di 2" in second and re.search(r"probe #4\s*</h2>", second) and "probe #54" not in second


def test_only_admins_read_the_audit_log(client: TestClient, db_session: Session) -> None:
    sign_in_as(client, create_user(db_session, role="organiser"))
    assert client.get("/manage/audit").status_code == 403
