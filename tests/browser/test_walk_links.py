"""Each kind of person finds every page by clicking, and no link leads nowhere.

An organiser, a company and a consul start from the calendar and sign in by the links a person
would follow; their walk through the main pages is screenshotted. Then every link of their
area is followed to depth 2 from their home page: none may answer 404, 500, a 403 or the
sign-in page.
"""

import re
from datetime import time, timedelta
from pathlib import Path
from urllib.parse import urldefrag, urlparse

from playwright.sync_api import Page, expect
from sqlmodel import col, select

from app import clock
from app.accounts import service as accounts_service
from app.accounts.models import Role
from app.companies.models import Attendee, Company, Registration, RegistrationStatus
from app.consuls.models import Consulate, ConsulateKind, Invitation, InvitationStatus, Representative
from app.db import make_engine, session_scope
from app.notifications.models import OutboxMessage
from app.stops.models import Stop, StopCountry, StopStatus
from tests.browser.conftest import LiveServer

PASSWORD = "correct horse battery"
ORGANISER = "walk.organiser@example.org"
ADMIN = "walk.admin@example.org"
COMPANY = "walk.company@officine.example.org"
CONSUL = "walk.consul@usa.example.org"
STOP_TITLE = "Meccanica a Lecco"
# Downloads, and links that change the language rather than lead to a page.
SKIPPED = re.compile(r"\.(ics|csv|xlsx|json)$|^/language/|^/logout")


def _prepare(live_server: LiveServer) -> int:
    engine = make_engine(live_server.database_url)
    with session_scope(engine) as db_session:
        for email, role in ((ORGANISER, Role.ORGANISER), (ADMIN, Role.ADMIN)):
            accounts_service.create(email, role=role, password=PASSWORD, db_session=db_session)
        stop = Stop(
            slug="walk-lecco",
            title_it=STOP_TITLE,
            title_en="Mechanics in Lecco",
            sector_slug="mechanics",
            territory_code="LC",
            city="Lecco",
            venue="Polo territoriale",
            venue_address="Via Ghislanzoni 24, 23900 Lecco",
            stop_date=clock.today() + timedelta(days=30),
            capacity=40,
            status=StopStatus.PUBLISHED,
            b2b_first_slot=time(14, 0),
            b2b_slot_minutes=20,
            b2b_slot_count=4,
            b2b_tables=4,
        )
        db_session.add(stop)
        db_session.flush()
        stop_id = stop.id or 0
        db_session.add(StopCountry(stop_id=stop_id, country_code="US", position=0))
        company = Company(name="Officine Walk S.r.l.", vat_number="09876543210", contact_email=COMPANY)
        db_session.add(company)
        db_session.flush()
        accounts_service.create(COMPANY, role=Role.COMPANY, company_id=company.id, db_session=db_session)
        registration = Registration(
            stop_id=stop_id,
            company_id=company.id or 0,
            status=RegistrationStatus.CONFIRMED,
            confirmed_at=clock.now(),
            email_verified_at=clock.now(),
        )
        db_session.add(registration)
        db_session.flush()
        db_session.add(Attendee(registration_id=registration.id or 0, name="Paola Fumagalli", email=COMPANY))
        consulate = Consulate(
            country_code="US",
            kind=ConsulateKind.CONSULATE_GENERAL,
            name_it="Consolato generale degli Stati Uniti (prova)",
            name_en="Consulate General of the United States (walk)",
        )
        db_session.add(consulate)
        db_session.flush()
        person = Representative(
            consulate_id=consulate.id or 0, name="Jordan Miller", email=CONSUL, preferred_language="en"
        )
        db_session.add(person)
        db_session.flush()
        accounts_service.create(CONSUL, role=Role.CONSUL, representative_id=person.id, db_session=db_session)
        db_session.add(
            Invitation(
                stop_id=stop_id,
                representative_id=person.id or 0,
                country_code="US",
                status=InvitationStatus.CONFIRMED,
                answered_at=clock.now(),
            )
        )
    engine.dispose()
    return stop_id


def _sign_in_by_link(page: Page, live_server: LiveServer, email: str) -> None:
    """From the calendar: Sign in, then the link for companies and consuls, then the email's link."""
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Principale").get_by_role("link", name="Accedi").click()
    page.get_by_role("link", name="Ricevi un link di accesso via email").click()
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Inviami un link di accesso").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Controlli la sua email")
    engine = make_engine(live_server.database_url)
    with session_scope(engine, write=False) as db_session:
        message = db_session.exec(
            select(OutboxMessage)
            .where(OutboxMessage.to_address == email)
            .order_by(col(OutboxMessage.id).desc())
        ).first()
    engine.dispose()
    assert message is not None
    match = re.search(r"http://\S+/sign-in/\S+", message.body_text)
    assert match, message.body_text
    page.goto(match.group(0))  # what clicking the link in the email does
    page.get_by_role("button", name="Continua").click()


def _sign_in_with_password(page: Page, live_server: LiveServer, email: str) -> None:
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Principale").get_by_role("link", name="Accedi").click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()


def _links(page: Page) -> list[str]:
    hrefs: list[str] = page.eval_on_selector_all(
        "a[href]:not([download])", "links => links.map(link => link.href)"
    )
    return [urldefrag(href).url for href in hrefs]


def _check_links(page: Page, live_server: LiveServer, home: str, area: str) -> dict[str, int]:
    """Follow every link of ``area`` to depth 2 from ``home``; links leaving the area (the
    public pages) are checked but not followed. The status of each page, by URL."""
    statuses: dict[str, int] = {}
    seen = {live_server.url + home}
    frontier = [live_server.url + home]
    leaving: list[str] = []
    for depth in range(3):
        found: list[str] = []
        for url in frontier:
            response = page.request.get(url)
            final = urlparse(response.url).path
            signed_out = final.startswith(("/login", "/sign-in"))
            statuses[url] = 401 if signed_out else response.status
            html = "text/html" in response.headers.get("content-type", "")
            if depth == 2 or response.status >= 400 or signed_out or not html:
                continue
            page.goto(url)
            found += _links(page)
        frontier = []
        for link in found:
            parsed = urlparse(link)
            if not link.startswith(live_server.url) or SKIPPED.search(parsed.path) or link in seen:
                continue
            seen.add(link)
            (frontier if parsed.path.startswith(area) else leaving).append(link)
    for url in leaving:
        response = page.request.get(url)
        statuses[url] = response.status
    return statuses


def _assert_all_resolve(statuses: dict[str, int], least: int) -> None:
    broken = {url: status for url, status in statuses.items() if status >= 400}
    assert not broken, broken
    assert len(statuses) >= least, sorted(statuses)


def test_the_organiser_reaches_every_tool_of_a_stop_by_clicking_and_no_link_is_dead(
    page: Page, live_server: LiveServer, artifacts: Path
) -> None:
    stop_id = _prepare_once(live_server)
    _sign_in_with_password(page, live_server, ORGANISER)
    expect(page.get_by_role("heading", level=1)).to_have_text("Cruscotto")
    page.screenshot(path=str(artifacts / "walk-organiser-dashboard.png"), full_page=True)
    nav = page.get_by_role("navigation", name="Area organizzatori")
    expect(nav.get_by_role("link", name="Registro delle modifiche")).to_have_count(0)  # admins only

    nav.get_by_role("link", name="Tappe").click()
    page.get_by_role("link", name=STOP_TITLE).first.click()
    expect(page).to_have_url(f"{live_server.url}/manage/stops/{stop_id}")
    tools = page.get_by_role("region", name="Strumenti della tappa")
    expect(tools).to_contain_text("1 confermate")
    expect(tools).to_contain_text("1 paesi su 1 con un console confermato")
    page.screenshot(path=str(artifacts / "walk-organiser-stop.png"), full_page=True)

    tabs = page.get_by_role("navigation", name="Strumenti della tappa")
    for name, path, shot in (
        ("Iscrizioni", "registrations", "registrations"),
        ("Consoli", "consuls", "consuls"),
        ("Incontri B2B", "meetings", "meetings"),
        ("Programma", "agenda", "agenda"),
        ("Accrediti", "checkin", "checkin"),
    ):
        tabs.get_by_role("link", name=name, exact=True).click()
        expect(page).to_have_url(f"{live_server.url}/manage/stops/{stop_id}/{path}")
        expect(tabs.get_by_role("link", name=name, exact=True)).to_have_attribute("aria-current", "page")
        expect(nav.get_by_role("link", name="Tappe")).to_have_attribute("aria-current", "page")
        page.screenshot(path=str(artifacts / f"walk-organiser-{shot}.png"), full_page=True)
    for name, shot in (("Pianificatore del calendario", "planning"), ("Risultati", "results")):
        nav.get_by_role("link", name=name).click()
        expect(nav.get_by_role("link", name=name)).to_have_attribute("aria-current", "page")
        page.screenshot(path=str(artifacts / f"walk-organiser-{shot}.png"), full_page=True)

    _assert_all_resolve(_check_links(page, live_server, "/manage", "/manage"), least=60)


def test_an_admin_reaches_the_organisers_and_audit_pages_from_the_back_office(
    page: Page, live_server: LiveServer, artifacts: Path
) -> None:
    _prepare_once(live_server)
    _sign_in_with_password(page, live_server, ADMIN)
    nav = page.get_by_role("navigation", name="Area organizzatori")
    nav.get_by_role("link", name="Organizzatori").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organizzatori")
    nav.get_by_role("link", name="Registro delle modifiche").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registro delle modifiche")
    page.screenshot(path=str(artifacts / "walk-admin-audit.png"), full_page=True)


def test_a_company_finds_its_meetings_agenda_and_codes_by_clicking_and_no_link_is_dead(
    page: Page, live_server: LiveServer, artifacts: Path
) -> None:
    stop_id = _prepare_once(live_server)
    page.set_viewport_size({"width": 390, "height": 844})
    _sign_in_by_link(page, live_server, COMPANY)
    expect(page).to_have_url(f"{live_server.url}/my")
    page.screenshot(path=str(artifacts / "walk-company-home.png"), full_page=True)
    page.get_by_role("link", name="La mia agenda e i codici di accredito").click()
    expect(page).to_have_url(f"{live_server.url}/my/stops/{stop_id}/agenda")
    expect(page.get_by_role("img", name="Codice di accredito di Paola Fumagalli")).to_be_visible()
    page.screenshot(path=str(artifacts / "walk-company-agenda.png"), full_page=True)
    page.get_by_role("link", name="Incontri con i consoli").click()
    expect(page).to_have_url(f"{live_server.url}/my/stops/{stop_id}/meetings")
    page.screenshot(path=str(artifacts / "walk-company-meetings.png"), full_page=True)
    page.get_by_role("navigation", name="Percorso").get_by_role("link", name="Le mie iscrizioni").click()
    expect(page).to_have_url(f"{live_server.url}/my")

    _assert_all_resolve(_check_links(page, live_server, "/my", "/my"), least=6)


def test_a_consul_finds_requests_and_agenda_by_clicking_and_no_link_is_dead(
    page: Page, live_server: LiveServer, artifacts: Path
) -> None:
    stop_id = _prepare_once(live_server)
    _sign_in_by_link(page, live_server, CONSUL)
    expect(page).to_have_url(f"{live_server.url}/consul")
    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your roadshow")
    page.screenshot(path=str(artifacts / "walk-consul-home.png"), full_page=True)
    row = page.get_by_role("row").filter(has_text="Mechanics in Lecco")
    row.get_by_role("link", name="Your day at this stop").click()
    expect(page).to_have_url(f"{live_server.url}/consul/stops/{stop_id}")
    page.screenshot(path=str(artifacts / "walk-consul-stop.png"), full_page=True)
    page.get_by_role("link", name="Meeting requests").click()
    expect(page).to_have_url(f"{live_server.url}/consul/stops/{stop_id}/requests")
    page.screenshot(path=str(artifacts / "walk-consul-requests.png"), full_page=True)
    page.get_by_role("link", name="Programme with your meetings").click()
    expect(page).to_have_url(f"{live_server.url}/consul/stops/{stop_id}/agenda")
    page.screenshot(path=str(artifacts / "walk-consul-agenda.png"), full_page=True)

    _assert_all_resolve(_check_links(page, live_server, "/consul", "/consul"), least=5)


_PREPARED: dict[str, int] = {}


def _prepare_once(live_server: LiveServer) -> int:
    """The module's server is shared: prepare its data once, whichever test runs first."""
    if live_server.database_url not in _PREPARED:
        _PREPARED[live_server.database_url] = _prepare(live_server)
    return _PREPARED[live_server.database_url]
