import csv
import io
import re

from fastapi.testclient import TestClient
from openpyxl import Workbook, load_workbook
from sqlmodel import Session, select

from app.companies.models import Company, Registration
from tests.factories import (
    create_company,
    create_invitation,
    create_meeting_request,
    create_registration,
    create_stop,
    create_user,
    csrf_token,
    sign_in_as,
    vat_number,
)


def organiser(client: TestClient, db_session: Session) -> None:
    user = create_user(db_session, role="organiser")
    db_session.commit()
    sign_in_as(client, user)


def test_only_organisers_see_a_stops_registrations(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session)
    company_user = create_user(db_session, role="company", password="")
    db_session.commit()
    url = f"/manage/stops/{stop.id}/registrations"
    assert client.get(url, follow_redirects=False).status_code == 303
    sign_in_as(client, company_user)
    assert client.get(url).status_code == 403
    assert client.get(url + ".csv").status_code == 403


def test_table_searches_filters_and_sorts(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session, capacity=2, countries=("US", "DE"))
    alfa = create_company(db_session, name="Alfa Meccanica", province="BG", size_class="micro")
    beta = create_company(db_session, name="Beta Aero", province="VA", size_class="large")
    gamma = create_company(db_session, name="Gamma Tessile", province="", size_class="medium")
    for company, countries in ((gamma, ["DE"]), (alfa, ["US"]), (beta, ["US", "DE"])):
        create_registration(db_session, stop, company, countries=countries)
    organiser(client, db_session)
    url = f"/manage/stops/{stop.id}/registrations"

    def companies(**params: str) -> list[str]:
        html = client.get(url, params=params).text
        return re.findall(r"<strong class=\"company-name\">([^<]+)</strong>", html)

    assert companies() == ["Gamma Tessile", "Alfa Meccanica", "Beta Aero"]
    assert companies(sort="company") == ["Alfa Meccanica", "Beta Aero", "Gamma Tessile"]
    assert companies(sort="company", dir="desc") == ["Gamma Tessile", "Beta Aero", "Alfa Meccanica"]
    assert companies(q="aero") == ["Beta Aero"]
    assert companies(q=alfa.vat_number) == ["Alfa Meccanica"]
    assert companies(status="waitlisted") == ["Beta Aero"]
    assert companies(province="-") == ["Gamma Tessile"]
    assert companies(size="micro") == ["Alfa Meccanica"]
    assert companies(country="DE") == ["Gamma Tessile", "Beta Aero"]
    assert client.get(url, params={"sort": "nonsense"}).status_code == 422


def test_raising_capacity_promotes_and_moving_frees_a_seat(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session, capacity=1)
    other = create_stop(db_session, capacity=5, countries=("US",))
    first = create_registration(db_session, stop, countries=["US", "DE"])
    second = create_registration(db_session, stop)
    third = create_registration(db_session, stop)
    organiser(client, db_session)
    token = csrf_token(client)
    client.post(f"/manage/stops/{stop.id}/capacity", data={"csrf_token": token, "capacity": "2"})
    for row in (first, second, third):
        db_session.refresh(row)
    assert (second.status, third.status, third.waitlist_position) == ("confirmed", "waitlisted", 1)
    lowered = client.post(f"/manage/stops/{stop.id}/capacity", data={"csrf_token": token, "capacity": "1"})
    db_session.refresh(stop)
    assert "2 posti sono già occupati" in lowered.text and stop.capacity == 2
    client.post(
        f"/manage/registrations/{first.id}/move", data={"csrf_token": token, "stop_id": str(other.id)}
    )
    db_session.refresh(first)
    db_session.refresh(third)
    assert first.stop_id == other.id and first.status == "confirmed"
    assert third.status == "confirmed" and third.waitlist_position is None
    client.post(f"/manage/registrations/{second.id}/cancel", data={"csrf_token": token})
    db_session.refresh(second)
    assert second.status == "cancelled"


def test_organiser_registers_a_company_on_its_behalf(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session)
    organiser(client, db_session)
    data = {
        "csrf_token": csrf_token(client),
        "name": "Delta S.p.A.",
        "vat_number": vat_number(3001),
        "contact_email": "info@delta.it",
        "province": "MI",
        "attendees.0.name": "Paolo Sala",
        "attendees.0.email": "paolo@delta.it",
        "countries": ["US"],
    }
    response = client.post(f"/manage/stops/{stop.id}/registrations/new", data=data, follow_redirects=False)
    assert response.status_code == 303
    registration = db_session.exec(select(Registration).where(Registration.stop_id == stop.id)).one()
    assert registration.status == "confirmed" and registration.privacy_version is None
    duplicate = client.post(f"/manage/stops/{stop.id}/registrations/new", data=data)
    assert duplicate.status_code == 409


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=";").writerows(rows)
    return buffer.getvalue().encode()


def test_import_previews_row_errors_then_writes_the_valid_rows(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, capacity=1)
    organiser(client, db_session)
    content = _csv(
        [
            ["Ragione sociale", "Partita IVA", "Email", "Provincia", "Settori"],
            ["Epsilon S.r.l.", vat_number(4001), "info@epsilon.it", "BS", "mechanics"],
            ["Zeta S.r.l.", "12345", "info@zeta.it", "BS", "mechanics"],
            ["Eta S.r.l.", vat_number(4003), "info@eta.it", "XX", "mechanics; energy"],
            ["Theta S.r.l.", "IT" + vat_number(4004), "info@theta.it", "", "energy"],
        ]
    )
    url = f"/manage/stops/{stop.id}/registrations/import"
    files = {"file": ("soci.csv", content, "text/csv")}
    preview = client.post(url, data={"csrf_token": csrf_token(client), "register": "yes"}, files=files)
    assert preview.status_code == 200
    assert "2 righe valide, 2 con errori" in preview.text
    assert "<strong>vat_number</strong>" in preview.text and "<strong>province</strong>" in preview.text
    assert db_session.exec(select(Company).where(Company.name == "Epsilon S.r.l.")).first() is None
    payload = re.search(r'name="payload" value="([^"]+)"', preview.text)
    assert payload
    applied = client.post(
        url + "/apply",
        data={"csrf_token": csrf_token(client), "payload": payload.group(1), "register": "yes"},
    )
    assert applied.status_code == 200
    names = set(
        db_session.exec(
            select(Company.name).where(
                Company.name.in_(["Epsilon S.r.l.", "Zeta S.r.l.", "Eta S.r.l.", "Theta S.r.l."])
            )
        )
    )  # type: ignore[attr-defined]
    assert names == {"Epsilon S.r.l.", "Theta S.r.l."}
    statuses = sorted(
        r.status for r in db_session.exec(select(Registration).where(Registration.stop_id == stop.id))
    )
    assert statuses == ["confirmed", "waitlisted"]
    forged = client.post(
        url + "/apply", data={"csrf_token": csrf_token(client), "payload": "x" + payload.group(1)}
    )
    assert "scaduta" in forged.text or "expired" in forged.text


def test_import_reads_xlsx_and_refuses_other_files(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session)
    organiser(client, db_session)
    book = Workbook()
    book.active.append(["name", "vat_number", "email", "size"])
    book.active.append(["Iota S.r.l.", vat_number(5001), "info@iota.it", "medium"])
    buffer = io.BytesIO()
    book.save(buffer)
    url = f"/manage/stops/{stop.id}/registrations/import"
    xlsx = (
        "soci.xlsx",
        buffer.getvalue(),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    preview = client.post(url, data={"csrf_token": csrf_token(client)}, files={"file": xlsx})
    assert "1 righe valide, 0 con errori" in preview.text
    bad = client.post(
        url, data={"csrf_token": csrf_token(client)}, files={"file": ("soci.txt", b"x", "text/plain")}
    )
    assert bad.status_code == 422 and 'id="field-file-error"' in bad.text
    headless = client.post(
        url, data={"csrf_token": csrf_token(client)}, files={"file": ("a.csv", b"a,b\n1,2\n", "text/csv")}
    )
    assert headless.status_code == 422


def test_export_as_csv_and_xlsx_follows_the_filters(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session, capacity=1)
    create_registration(db_session, stop, create_company(db_session, name="=HYPERLINK(1)"))
    create_registration(db_session, stop, create_company(db_session, name="Kappa S.r.l."))
    organiser(client, db_session)
    exported = client.get(f"/manage/stops/{stop.id}/registrations.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(exported.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3 and rows[1][2] == "'=HYPERLINK(1)" and rows[2][0] == "Lista d'attesa"
    assert rows[1][0] == "Confermata" and rows[1][5] == "Piccola impresa"
    xlsx = client.get(f"/manage/stops/{stop.id}/registrations.xlsx", params={"status": "waitlisted"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert len(values) == 2 and values[1][2] == "Kappa S.r.l." and values[1][0] == "Lista d'attesa"


def test_a_registration_with_meeting_requests_is_not_moved_and_its_stop_page_keeps_working(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, capacity=5, countries=("US",), b2b_slots=4, b2b_tables=2)
    other = create_stop(db_session, capacity=5, countries=("US",))
    registration = create_registration(db_session, stop, status="confirmed")
    invitation = create_invitation(db_session, stop, country="US", status="confirmed")
    create_meeting_request(db_session, registration, invitation)
    organiser(client, db_session)
    answer = client.post(
        f"/manage/registrations/{registration.id}/move",
        data={"csrf_token": csrf_token(client), "stop_id": str(other.id)},
    )
    assert "elimini le sue richieste nella pagina degli incontri B2B" in answer.text
    db_session.refresh(registration)
    assert registration.stop_id == stop.id
    assert client.get(f"/manage/stops/{stop.id}/meetings").status_code == 200
