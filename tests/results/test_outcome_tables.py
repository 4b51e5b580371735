"""The results dashboard's outcome tables on a small known data set, and their CSV and XLSX."""

import csv
import io
from datetime import UTC, date, datetime

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session

from app import clock
from app.matching.models import Meeting
from app.outcomes.models import MeetingRating
from app.results import outcomes
from app.stops.models import PublicationStatus, Stop
from tests.factories import (
    attendees_of,
    create_invitation,
    create_meeting,
    create_meeting_request,
    create_registration,
    create_stop,
    create_user,
    sign_in_as,
)


def _stop(db_session: Session, day: date, city: str, sector: str) -> Stop:
    return create_stop(
        db_session,
        stop_date=day,
        city=city,
        sector_slug=sector,
        b2b_slots=4,
        b2b_tables=3,
        schedule_status=PublicationStatus.PUBLISHED,
    )


def _meet(
    db_session: Session, registration: object, invitation: object, slot: int, **values: object
) -> Meeting:
    meeting = create_meeting(
        db_session,
        create_meeting_request(db_session, registration, invitation),  # type: ignore[arg-type]
        slot_index=slot,
    )
    for key, value in values.items():
        setattr(meeting, key, value)
    db_session.add(meeting)
    return meeting


def _rate(
    db_session: Session, meeting: Meeting, party: str, stage: str = "after_stop", **values: object
) -> None:
    db_session.add(MeetingRating(meeting_id=meeting.id or 0, party=party, stage=stage, **values))  # type: ignore[arg-type]


def roadshow(db_session: Session) -> None:
    """Two stops held (Varese, aerospace, check-in used; Lecco, mechanics) and one to come.

    Varese: Alfa (checked in) meets the US consul (held, rated) and the German one (marked
    representative absent); Beta (not checked in) meets the US consul (company absent).
    Lecco: Gamma meets the US consul (held by default) and the German one (marked held).
    """
    clock.set_source(lambda: datetime(2027, 6, 1, 10, 0, tzinfo=UTC))
    varese = _stop(db_session, date(2027, 5, 12), "Varese", "aerospace")
    lecco = _stop(db_session, date(2027, 5, 20), "Lecco", "mechanics")
    later = _stop(db_session, date(2027, 9, 15), "Como", "aerospace")
    alfa = create_registration(db_session, varese, status="confirmed", attendees=("Anna",))
    for person in attendees_of(db_session, alfa):
        person.checked_in_at = datetime(2027, 5, 12, 8, 0, tzinfo=UTC)
    beta = create_registration(db_session, varese, status="confirmed", attendees=("Bea",))
    gamma = create_registration(db_session, lecco, status="confirmed", attendees=("Gino",))
    va_us = create_invitation(db_session, varese, country="US", status="confirmed")
    va_de = create_invitation(db_session, varese, country="DE", status="confirmed")
    lc_us = create_invitation(db_session, lecco, country="US", status="confirmed")
    lc_de = create_invitation(db_session, lecco, country="DE", status="confirmed")
    m1 = _meet(db_session, alfa, va_us, 0)
    _meet(db_session, alfa, va_de, 1, attendance="representative_absent")
    _meet(db_session, beta, va_us, 2)
    m4 = _meet(db_session, gamma, lc_us, 0)
    m5 = _meet(db_session, gamma, lc_de, 1, attendance="held")
    future = create_registration(db_session, later, status="confirmed", attendees=("Zeno",))
    _meet(db_session, future, create_invitation(db_session, later, country="US", status="confirmed"), 0)
    db_session.flush()
    _rate(db_session, m1, "company", took_place=True, interest="cooperation_possible")
    _rate(db_session, m1, "representative", took_place=True, interest="informative")
    _rate(db_session, m4, "company", took_place=True, interest="no_interest")
    _rate(db_session, m4, "representative", took_place=False)
    _rate(db_session, m5, "company", took_place=True, interest="informative")
    _rate(db_session, m1, "company", "follow_up", outcome="agreement_reached")
    _rate(db_session, m4, "representative", "follow_up", outcome="no_further_contact")
    db_session.commit()


def rows(table: object) -> dict[str, list[object]]:
    return {row[0]: row[1:] for row in table.rows}  # type: ignore[attr-defined]


def test_outcomes_by_country_count_held_meetings_no_shows_ratings_and_follow_ups(db_session: Session) -> None:
    roadshow(db_session)
    tables = outcomes.build(db_session=db_session)
    assert tables["attendance-by-country"].headers == [
        "Paese",
        "Incontri programmati",
        "Incontri svolti",
        "Impresa assente",
        "Rappresentante assente",
        "Tasso di assenza (%)",
    ]
    assert rows(tables["attendance-by-country"]) == {
        "Stati Uniti": [3, 2, 1, 0, 33.3],
        "Germania": [2, 1, 0, 1, 50.0],
        "Totale": [5, 3, 1, 1, 40.0],
    }
    assert rows(tables["ratings-by-country"]) == {
        "Stati Uniti": [4, 1, 1, 1, 1, 33.3],
        "Germania": [1, 0, 0, 1, 0, 0.0],
        "Totale": [5, 1, 1, 2, 1, 25.0],
    }
    assert rows(tables["follow-ups-by-country"]) == {
        "Stati Uniti": [2, 1, 0, 0, 1, 50.0],
        "Germania": [0, 0, 0, 0, 0, 0.0],
        "Totale": [2, 1, 0, 0, 1, 50.0],
    }


def test_outcomes_by_sector_and_by_stop_count_only_stops_already_held(db_session: Session) -> None:
    roadshow(db_session)
    tables = outcomes.build(db_session=db_session)
    by_stop = tables["attendance-by-stop"]
    assert by_stop.headers[:2] == ["Tappa", "Data"]
    assert [row[1:] for row in by_stop.rows] == [
        ["2027-05-12", 3, 1, 1, 1, 66.7],
        ["2027-05-20", 2, 2, 0, 0, 0.0],
        ["", 5, 3, 1, 1, 40.0],
    ]
    assert rows(tables["attendance-by-sector"]) == {
        "Aerospazio": [3, 1, 1, 1, 66.7],
        "Meccanica": [2, 2, 0, 0, 0.0],
        "Totale": [5, 3, 1, 1, 40.0],
    }
    assert rows(tables["ratings-by-sector"])["Meccanica"] == [3, 1, 1, 1, 0, 0.0]


def test_outcome_tables_download_as_csv_for_italian_excel_and_as_typed_xlsx(
    client: TestClient, db_session: Session
) -> None:
    roadshow(db_session)
    sign_in_as(client, create_user(db_session, role="organiser"))
    db_session.commit()
    page = client.get("/manage/results")
    assert page.status_code == 200
    assert "Esiti degli incontri B2B" in page.text and "33,3" in page.text
    assert 'href="/manage/results/attendance-by-country.csv"' in page.text
    response = client.get("/manage/results/attendance-by-country.csv")
    assert response.status_code == 200 and response.content.startswith(b"\xef\xbb\xbf")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][0] == "Paese" and lines[0][-1] == "Tasso di assenza (%)"
    assert ["Stati Uniti", "3", "2", "1", "0", "33,3"] in lines
    assert lines[-1] == ["Totale", "5", "3", "1", "1", "40,0"]
    workbook = client.get("/manage/results/ratings-by-stop.xlsx")
    assert workbook.status_code == 200
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    values = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert values[0][:3] == ["Tappa", "Data", "Risposte"]
    assert values[1][1:] == ["2027-05-12", 2, 0, 0, 1, 1, 50.0]
    assert sheet.cell(row=2, column=8).data_type == "n"


def test_outcome_tables_take_the_same_few_queries_whatever_the_data(db_session: Session) -> None:
    from tests.results.test_results_dashboard import counting

    roadshow(db_session)
    with counting(db_session) as small:
        outcomes.build(db_session=db_session)
    for number in range(3):
        stop = _stop(db_session, date(2027, 4, 10 + number), "Monza", "mechanics")
        registration = create_registration(db_session, stop, status="confirmed", attendees=("Ugo",))
        _meet(
            db_session, registration, create_invitation(db_session, stop, country="US", status="confirmed"), 0
        )
    with counting(db_session) as large:
        tables = outcomes.build(db_session=db_session)
    assert len(small) == len(large) <= 6
    assert rows(tables["attendance-by-country"])["Totale"][0] == 8
