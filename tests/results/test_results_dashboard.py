import csv
import io
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import event
from sqlmodel import Session

from app import clock
from app.results import service
from tests.factories import (
    attendees_of,
    create_company,
    create_invitation,
    create_meeting,
    create_meeting_request,
    create_registration,
    create_representative,
    create_stop,
    create_user,
    sign_in_as,
)


def roadshow(db_session: Session) -> None:
    """One stop held (12 May 2027), one to come; three companies, one meeting held."""
    clock.set_source(lambda: datetime(2027, 6, 1, 10, 0, tzinfo=UTC))
    held = create_stop(db_session, stop_date=date(2027, 5, 12), city="Varese")
    coming = create_stop(
        db_session, stop_date=date(2027, 9, 15), city="Lecco", capacity=1, territory_code="LC"
    )
    rep = create_representative(db_session, country="US")
    invitation = create_invitation(db_session, held, rep, status="confirmed")
    came = create_company(db_session, name="Presente S.r.l.", province_code="VA", sectors=["aerospace"])
    absent = create_company(
        db_session, name="Assente S.p.A.", province_code="BG", size_class="medium", sectors=()
    )
    waiting = create_company(
        db_session, name="In attesa S.r.l.", province_code="LC", size_class="micro", sectors=()
    )
    first = create_registration(db_session, held, came, status="confirmed", attendees=("Anna", "Bruno"))
    for attendee in attendees_of(db_session, first):
        attendee.checked_in_at = datetime(2027, 5, 12, 8, 0, tzinfo=UTC)
    second = create_registration(db_session, held, absent, status="confirmed", attendees=("Anna Rossi",))
    create_registration(
        db_session, coming, waiting, status="waitlisted", attendees=("Anna Rossi",), waitlist_position=1
    )
    create_registration(
        db_session,
        coming,
        create_company(db_session, province_code="LC", sectors=()),
        status="confirmed",
        attendees=("Anna Rossi",),
    )
    create_meeting(db_session, create_meeting_request(db_session, first, invitation), slot_index=0)
    create_meeting_request(db_session, second, invitation, status="pending", goal="")
    db_session.flush()


def row(table: service.Table, first: str) -> list[object]:
    return next(r for r in table.rows if r[0] == first)


def test_results_aggregate_companies_meetings_countries_and_waiting_lists(db_session: Session) -> None:
    roadshow(db_session)
    results = service.build(db_session=db_session)
    tables = results.tables
    assert row(tables["companies-by-province"], "Varese") == ["Varese", 1, 1]
    assert row(tables["companies-by-province"], "Bergamo") == ["Bergamo", 1, 0]
    assert row(tables["companies-by-size"], "Piccola impresa") == ["Piccola impresa", 2, 1]
    assert row(tables["companies-by-sector"], "Aerospazio") == ["Aerospazio", 1, 1]
    assert row(tables["companies-by-sector"], "Non indicato") == ["Non indicato", 2, 0]
    assert row(tables["meetings-by-country"], "Stati Uniti") == ["Stati Uniti", 2, 1, 1]
    [consulate] = tables["meetings-by-consulate"].rows
    assert consulate[1:] == ["Stati Uniti", 1, 1]
    waiting = next(r for r in tables["waiting-list"].rows if r[0] == date(2027, 9, 15))
    assert waiting[2:] == [1, 1, 1, 200]
    assert results.totals["companies_registered"] == 3
    assert results.totals["companies_present"] == 1
    assert results.totals["meetings_held"] == 1


def count_queries(db_session: Session) -> Iterator[list[str]]:
    statements: list[str] = []
    connection = db_session.connection()

    def record(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(connection, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(connection, "before_cursor_execute", record)


counting = contextmanager(count_queries)


def test_number_of_queries_does_not_grow_with_the_data(db_session: Session) -> None:
    roadshow(db_session)
    with counting(db_session) as small:
        service.build(db_session=db_session)
    for _ in range(5):
        stop = create_stop(db_session)
        registration = create_registration(db_session, stop, status="confirmed", attendees=("X", "Y"))
        rep = create_representative(db_session, country="DE")
        invitation = create_invitation(db_session, stop, rep, status="confirmed")
        create_meeting(db_session, create_meeting_request(db_session, registration, invitation))
    with counting(db_session) as large:
        service.build(db_session=db_session)
    assert len(small) == len(large) <= 15


def test_dashboard_draws_svg_charts_without_inline_styles(client: TestClient, db_session: Session) -> None:
    roadshow(db_session)
    sign_in_as(client, create_user(db_session, role="organiser"))
    response = client.get("/manage/results")
    assert response.status_code == 200
    html = response.text
    assert html.count('<svg class="chart"') == 4
    assert "style=" not in html
    assert 'role="img"' in html and "Stops of the roadshow by date" not in html  # Italian page
    assert "Tappe svolte" in html and "Presenti" in html
    assert 'href="/manage/results/companies-by-province.csv"' in html


def test_tables_download_as_csv_and_xlsx(client: TestClient, db_session: Session) -> None:
    roadshow(db_session)
    sign_in_as(client, create_user(db_session, role="organiser"))
    response = client.get("/manage/results/companies-by-province.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Provincia", "Imprese iscritte", "Imprese presenti"]
    assert ["Varese", "1", "1"] in rows
    workbook = client.get("/manage/results/meetings-by-country.xlsx")
    assert workbook.headers["content-type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(workbook.content)).active
    values = [[cell.value for cell in r] for r in sheet.iter_rows()]
    assert values[0] == ["Paese", "Incontri richiesti", "Incontri programmati", "Incontri svolti"]
    assert ["Stati Uniti", 2, 1, 1] in values


def test_unknown_table_or_format_is_404_and_dashboard_is_for_organisers(
    client: TestClient, db_session: Session
) -> None:
    sign_in_as(client, create_user(db_session, role="company", password=None))
    assert client.get("/manage/results").status_code == 403
    assert client.get("/manage/results/stops.csv").status_code == 403
    sign_in_as(client, create_user(db_session, role="organiser"))
    assert client.get("/manage/results/nothing.csv").status_code == 404
    assert client.get("/manage/results/stops.pdf").status_code == 404
