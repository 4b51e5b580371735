import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from app.accounts import service as accounts_service
from app.accounts.models import Role
from app.companies.models import Company
from app.config import Settings
from app.db import make_engine, session_scope
from app.notifications import worker
from tests.browser.conftest import LiveServer
from tests.notifications.smtp import SmtpServer


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    server = SmtpServer().start()
    yield server
    server.stop()


def test_organiser_signs_in_with_a_password_and_a_company_with_the_emailed_link(
    page: Page, live_server: LiveServer, smtp: SmtpServer, artifacts: Path
) -> None:
    engine = make_engine(live_server.database_url)
    with session_scope(engine) as db_session:
        accounts_service.create(
            "journey.organiser@example.org",
            role=Role.ORGANISER,
            password="correct horse battery",
            db_session=db_session,
        )
        company = Company(
            name="Meccanica Brianza Srl", vat_number="01234560157", contact_email="export@brianza.example.org"
        )
        db_session.add(company)
        db_session.flush()
        accounts_service.create(
            "export@brianza.example.org", role=Role.COMPANY, company_id=company.id, db_session=db_session
        )

    # The organiser, with a password, lands in the back office's outbox.
    page.goto(live_server.url + "/login?next=/manage/outbox")
    page.get_by_label("Email").fill("journey.organiser@example.org")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Accedi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Posta in uscita")
    page.screenshot(path=str(artifacts / "organiser-outbox.png"), full_page=True)
    page.get_by_role("button", name="Esci").click()

    # The company asks for a link; the worker delivers it to the test SMTP server.
    page.goto(live_server.url + "/login")
    page.get_by_role("link", name="Ricevi un link di accesso via email").click()
    page.get_by_label("Email").fill("export@brianza.example.org")
    page.screenshot(path=str(artifacts / "sign-in-request.png"), full_page=True)
    page.get_by_role("button", name="Inviami un link di accesso").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Controlli la sua email")
    page.screenshot(path=str(artifacts / "sign-in-sent.png"), full_page=True)

    settings = Settings(
        database_url=live_server.database_url,
        environment="test",
        smtp_host="127.0.0.1",
        smtp_port=smtp.port,
    )
    assert worker.run_once(engine=engine, settings=settings) >= 1
    engine.dispose()
    [email] = smtp.inbox.to("export@brianza.example.org")
    body = email.get_body(("plain",))
    assert body is not None
    match = re.search(r"http://\S+/sign-in/\S+", body.get_content())
    assert match, body.get_content()
    link = match.group(0)
    assert link.startswith(live_server.url)

    page.goto(link)
    expect(page.get_by_text("Stai accedendo come export@brianza.example.org.")).to_be_visible()
    page.screenshot(path=str(artifacts / "sign-in-confirm.png"), full_page=True)
    page.get_by_role("button", name="Continua").click()
    expect(
        page.get_by_role("navigation", name="Principale").get_by_role("button", name="Esci")
    ).to_be_visible()
    page.screenshot(path=str(artifacts / "company-signed-in.png"), full_page=True)

    # The link is spent: a second visit offers a new one.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Questo link non funziona più")
    expect(page.get_by_role("button", name="Inviami un link di accesso")).to_be_visible()
    page.screenshot(path=str(artifacts / "sign-in-link-spent.png"), full_page=True)
