from fastapi.testclient import TestClient
from sqlmodel import Session, func, select

from app.audit.models import AuditEvent
from app.consuls.models import Consulate, Representative
from tests.factories import create_user, csrf_token, sign_in_as

HEADER = (
    "country,kind,consulate_name_en,consulate_name_it,address,website,"
    "name,title,email,languages,preferred_language\n"
)


def _upload(client: TestClient, db_session: Session, content: str, **headers: str):  # type: ignore[no-untyped-def]
    user = create_user(db_session, role="organiser")
    db_session.commit()
    sign_in_as(client, user)
    return client.post(
        "/manage/consuls/import",
        data={"csrf_token": csrf_token(client)},
        files={"file": ("corps.csv", content.encode("utf-8"), "text/csv")},
        headers={"Accept-Language": "en", **headers},
    )


def _count(db_session: Session, model: type) -> int:
    return db_session.exec(select(func.count()).select_from(model)).one()


def test_import_adds_consulates_and_representatives_and_updates_known_ones(
    client: TestClient, db_session: Session
) -> None:
    consulates_before = _count(db_session, Consulate)
    content = HEADER + (
        "BR,consulate_general,Consulate General of Brazil,Consolato generale del Brasile,Corso Europa 12,"
        ',Ana Souza,Consul General,ana.souza@brazil.example.org,"pt, en",en\n'
        "BR,consulate_general,Consulate General of Brazil,Consolato generale del Brasile,Corso Europa 12,"
        ",Paulo Lima,Trade attaché,paulo.lima@brazil.example.org,pt;it,it\n"
        "US,consulate_general,Consulate General of the United States of America in Milan,"
        "Consolato Generale degli Stati Uniti d'America a Milano,,,Margaret Ellison,Consul General (acting),"
        "us.consul@consulates.example.org,en,en\n"
    )
    response = _upload(client, db_session, content)
    assert response.status_code == 200, response.text
    assert "The list was imported." in response.text
    assert "1 representation added" in response.text
    assert "2 representatives added" in response.text and "1 representative updated" in response.text
    assert _count(db_session, Consulate) == consulates_before + 1
    paulo = db_session.exec(
        select(Representative).where(Representative.email == "paulo.lima@brazil.example.org")
    ).one()
    assert paulo.languages == ["pt", "it"] and paulo.preferred_language == "it"
    margaret = db_session.exec(
        select(Representative).where(Representative.email == "us.consul@consulates.example.org")
    ).one()
    assert margaret.title == "Consul General (acting)"
    event = db_session.exec(select(AuditEvent).where(AuditEvent.action == "import")).one()
    assert event.after and event.after["representatives_created"] == 2


def test_import_with_bad_rows_lists_them_by_line_and_imports_nothing(
    client: TestClient, db_session: Session
) -> None:
    representatives_before = _count(db_session, Representative)
    content = HEADER + (
        "BR,consulate,Consulate of Brazil,Consolato del Brasile,,,Ana Souza,,ana@brazil.example.org,pt,en\n"
        "XX,consulate,Consulate of Nowhere,Consolato,,,Bob,,bob@nowhere.example.org,en,en\n"
        "BR,consulate,Consulate of Brazil,Consolato del Brasile,,,Ana Again,,ana@brazil.example.org,pt,en\n"
        "BR,bureau,Consulate of Brazil,Consolato del Brasile,,,,,not-an-email,pt,fr\n"
    )
    response = _upload(client, db_session, content)
    assert response.status_code == 422
    assert "Nothing was imported" in response.text
    assert "Line 3: country: Unknown country &#39;XX&#39;" in response.text
    assert "Line 4: email: already on line 2 of this file." in response.text
    line5 = response.text.split("Line 5:")[1].split("</li>")[0]
    for problem in ("kind:", "name:", "email:", "preferred_language:"):
        assert problem in line5
    assert "Line 2" not in response.text
    assert _count(db_session, Representative) == representatives_before
    assert (
        db_session.exec(select(Consulate).where(Consulate.name_en == "Consulate of Brazil")).first() is None
    )


def test_import_reads_semicolons_and_names_missing_columns(client: TestClient, db_session: Session) -> None:
    response = _upload(client, db_session, "country;name;email\nBR;Ana;ana@brazil.example.org\n")
    assert response.status_code == 422
    assert "The file lacks the columns: kind, consulate_name_en, consulate_name_it." in response.text
    assert 'aria-invalid="true"' in response.text


def test_import_refuses_an_empty_or_non_utf8_file(client: TestClient, db_session: Session) -> None:
    assert "The file is empty." in _upload(client, db_session, "  \n").text
    latin = client.post(
        "/manage/consuls/import",
        data={"csrf_token": csrf_token(client)},
        files={
            "file": (
                "corps.csv",
                (HEADER + "IT,consulate,Città,Città,,,Nè,,n@example.org,it,it\n").encode("latin-1"),
                "text/csv",
            )
        },
        headers={"Accept-Language": "en"},
    )
    assert latin.status_code == 422 and "UTF-8" in latin.text
