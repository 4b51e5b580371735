"""Stops, published and open for registration unless told otherwise."""

from datetime import date, time
from typing import Any

from sqlmodel import Session

from app.stops.models import Stop, StopCountry, StopStatus
from tests.factories.sequence import next_number


def create_stop(
    db_session: Session,
    *,
    countries: tuple[str, ...] = ("US", "DE"),
    b2b_slots: int = 0,
    **overrides: Any,
) -> Stop:
    """A published stop in Varese in May 2027 with two prospect countries; any Stop column may be given.

    ``b2b_slots`` gives it a B2B block of that many 20-minute meetings from 14:00 (the B2B columns
    may still be overridden one by one).
    """
    n = next_number()
    values: dict[str, Any] = {
        "slug": f"test-stop-{n}",
        "title_it": f"Tappa di prova {n}",
        "title_en": f"Test stop {n}",
        "sector_slug": "aerospace",
        "territory_code": "VA",
        "city": "Varese",
        "venue": "Ville Ponti",
        "venue_address": "Piazza Litta 2, 21100 Varese",
        "stop_date": date(2027, 5, 12),
        "start_time": time(9, 30),
        "end_time": time(17, 30),
        "capacity": 50,
        "status": StopStatus.PUBLISHED,
    }
    if b2b_slots:
        values.update(b2b_first_slot=time(14, 0), b2b_slot_minutes=20, b2b_slot_count=b2b_slots)
    values.update(overrides)
    stop = Stop(**values)
    db_session.add(stop)
    db_session.flush()
    for position, code in enumerate(countries):
        db_session.add(StopCountry(stop_id=stop.id or 0, country_code=code, position=position))
    db_session.flush()
    return stop
