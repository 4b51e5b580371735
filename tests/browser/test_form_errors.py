"""After a failed submit the focus lands on the error summary, and its links lead to the fields."""

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from app.accounts import service as accounts_service
from app.accounts.models import Role
from app.db import make_engine, session_scope
from tests.browser.conftest import LiveServer
from tests.factories import create_stop

PASSWORD = "correct horse battery"


def open_page(browser: Browser, width: int) -> Page:
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="it-IT")
    return context.new_page()


def check_summary(page: Page, width: int) -> None:
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    links = summary.get_by_role("link")
    assert links.count() > 0
    for i in range(links.count()):
        target = links.nth(i).get_attribute("href")
        assert target and page.locator(target).count() == 1, target
    last = links.last
    target = last.get_attribute("href")
    last.click()
    expect(page.locator(str(target))).to_be_focused()


@pytest.mark.parametrize("width", [1366, 360])
def test_a_failed_registration_moves_the_focus_to_the_error_summary(
    browser: Browser, live_server: LiveServer, artifacts: Path, width: int
) -> None:
    engine = make_engine(live_server.database_url)
    with session_scope(engine) as db_session:
        stop_id = create_stop(db_session).id
    engine.dispose()
    page = open_page(browser, width)
    page.goto(f"{live_server.url}/stops/{stop_id}/register")
    page.get_by_label("Partita IVA").fill("123")
    page.get_by_role("button", name="Invia l'iscrizione").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Iscrivi l'azienda")
    page.screenshot(path=str(artifacts / f"form-errors-registration-{width}.png"), full_page=True)
    check_summary(page, width)
    page.context.close()


@pytest.mark.parametrize("width", [1366, 360])
def test_a_failed_new_stop_moves_the_focus_to_the_error_summary(
    browser: Browser, live_server: LiveServer, artifacts: Path, width: int
) -> None:
    engine = make_engine(live_server.database_url)
    email = f"form-errors-{width}@example.org"
    with session_scope(engine) as db_session:
        accounts_service.create(email, role=Role.ORGANISER, password=PASSWORD, db_session=db_session)
    engine.dispose()
    page = open_page(browser, width)
    page.goto(live_server.url + "/login?next=/manage/stops/new")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    page.get_by_label("Titolo in italiano").fill("Tappa senza data")
    page.get_by_role("button", name="Crea come bozza").click()
    page.screenshot(path=str(artifacts / f"form-errors-stop-{width}.png"), full_page=True)
    check_summary(page, width)
    page.context.close()
