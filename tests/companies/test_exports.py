"""Every export opens right in Italian Excel: semicolons, a BOM, codes kept as text, Rome times;
XLSX cells keep their types."""

import csv
import io
import re
from datetime import UTC, date, datetime

from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlmodel import Session

from app import exports
from app.exports import Text
from app.results import service as results_service
from tests.factories import (
    create_company,
    create_registration,
    create_stop,
    create_user,
    sign_in_as,
    vat_number,
)

LEADING_ZERO_VAT = vat_number(1)  # 0000001015…: a real VAT number starting with zeros


def _csv_urls(client: TestClient, stop_id: int, results_slugs: list[str]) -> dict[str, list[str]]:
    """Every CSV download the app offers, by route, with its parameters filled in."""
    urls: dict[str, list[str]] = {}
    for context in iter_route_contexts(client.app.routes):  # type: ignore[attr-defined]
        if not isinstance(context.original_route, APIRoute) or "GET" not in context.original_route.methods:
            continue
        path = context._effective_route.path
        if path.endswith(".{extension}"):
            urls[path] = [
                path.replace("{slug}", slug).replace("{extension}", "csv") for slug in results_slugs
            ]
        elif path.endswith(".csv"):
            urls[path] = [path.replace("{stop_id}", str(stop_id))]
    return urls


def test_every_csv_export_has_a_bom_semicolons_and_keeps_leading_zeros(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session)
    company = create_company(db_session, name="Zeta, Rossi & C.", vat_number=LEADING_ZERO_VAT)
    create_registration(db_session, stop, company, status="confirmed")
    db_session.commit()
    sign_in_as(client, create_user(db_session, role="organiser"))
    slugs = list(results_service.build(db_session=db_session).tables)
    urls = _csv_urls(client, stop.id or 0, slugs)
    assert {"/manage/stops/{stop_id}/registrations.csv", "/manage/results/{slug}.{extension}"} <= set(urls)
    for route, route_urls in urls.items():
        assert all("{" not in url for url in route_urls), f"fill in the parameters of {route} in this test"
        for url in route_urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert response.content.startswith(b"\xef\xbb\xbf"), url
            header = response.content.decode("utf-8-sig").splitlines()[0]
            assert ";" in header and "," not in header, url
    registrations = client.get(urls["/manage/stops/{stop_id}/registrations.csv"][0]).content.decode(
        "utf-8-sig"
    )
    rows = list(csv.reader(io.StringIO(registrations), delimiter=";"))
    assert rows[1][2] == "Zeta, Rossi & C." and rows[1][0] == "Confermata"
    assert rows[1][3] == "\t" + LEADING_ZERO_VAT and LEADING_ZERO_VAT.startswith("0")
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", rows[1][13])


def test_csv_values_are_written_for_italian_excel() -> None:
    summer = datetime(2027, 7, 1, 22, 30, tzinfo=UTC)  # 00:30 the next day in Rome (CEST)
    body = exports.to_csv(
        ["Quando", "Giorno", "Partita IVA", "Quota", "Nome", "Vuoto"],
        [[summer, date(2027, 3, 9), Text("01234567890"), 12.5, "=SUM(A1)", None]],
    )
    assert body.startswith("\ufeff".encode())
    assert (
        body.decode("utf-8-sig").splitlines()[1]
        == "02/07/2027 00:30;09/03/2027;\t01234567890;12,5;'=SUM(A1);"
    )


def test_xlsx_cells_keep_their_types(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session)
    company = create_company(db_session, vat_number=LEADING_ZERO_VAT)
    create_registration(db_session, stop, company, status="waitlisted", waitlist_position=1)
    db_session.commit()
    sign_in_as(client, create_user(db_session, role="organiser"))
    response = client.get(f"/manage/stops/{stop.id}/registrations.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    vat, position, registered = sheet["D2"], sheet["B2"], sheet["N2"]
    assert vat.data_type == "s" and vat.value == LEADING_ZERO_VAT and vat.number_format == "@"
    assert position.data_type == "n" and position.value == 1
    assert isinstance(registered.value, datetime) and registered.is_date
    assert sheet["A2"].value == "Lista d'attesa"

    results = client.get("/manage/results/stops.xlsx")
    stops_sheet = load_workbook(io.BytesIO(results.content)).active
    assert stops_sheet is not None
    first = [cell for cell in stops_sheet[2]]
    assert isinstance(first[0].value, datetime) and first[0].is_date  # the stop's date
    assert first[5].data_type == "n"  # its capacity
