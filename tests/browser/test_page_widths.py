"""Every page of each kind of person fits a 360 px phone and a 1366 px laptop.

A visitor, a company, a consul and an organiser (an admin, who sees every back-office page) each
walk their area to depth 2 on a roadshow crowded with long names; each kind of page is checked
at both widths: the page never scrolls sideways, and a box that does (a wide table) can be
reached by keyboard and is named. A screenshot of every page at each width is kept in
test-artifacts/widths/.
"""

from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from app.accounts import service as accounts_service
from app.checkin import service as checkin_service
from app.db import make_engine, session_scope
from tests.browser import crowded_roadshow, widths
from tests.browser.conftest import LiveServer
from tests.factories import PASSWORD

_CROWDS: dict[str, crowded_roadshow.Crowd] = {}


@pytest.fixture
def crowd(live_server: LiveServer) -> crowded_roadshow.Crowd:
    """The module's server is shared: write its crowd once, whichever test runs first."""
    if live_server.database_url not in _CROWDS:
        engine = make_engine(live_server.database_url)
        with session_scope(engine) as db_session:
            _CROWDS[live_server.database_url] = crowded_roadshow.build(db_session)
        engine.dispose()
    return _CROWDS[live_server.database_url]


@pytest.fixture
def shots(artifacts: Path) -> Path:
    folder = artifacts / "widths"
    folder.mkdir(exist_ok=True)
    return folder


def _signed_in_by_link(browser: Browser, live_server: LiveServer, email: str) -> BrowserContext:
    """A window signed in as ``email`` by the link of a sign-in email."""
    engine = make_engine(live_server.database_url)
    with session_scope(engine) as db_session:
        user = accounts_service.get_by_email(email, db_session=db_session)
        assert user is not None
        link = accounts_service.issue_link(db_session=db_session, user=user)
    engine.dispose()
    context = browser.new_context(locale="it-IT")
    page = context.new_page()
    page.goto(live_server.url + urlparse(link).path)
    page.get_by_role("button", name="Continua").click()
    expect(
        page.get_by_role("navigation", name="Principale").get_by_role("button", name="Esci")
    ).to_be_visible()
    page.close()
    return context


def _assert_every_page_fits(
    browser: Browser,
    context: BrowserContext,
    live_server: LiveServer,
    who: str,
    starts: list[str],
    area: str,
    shots: Path,
    *,
    least: int,
) -> None:
    """Walk ``who``'s pages from ``starts``, staying below ``area``, at both widths: each one fits."""
    findings = widths.walk(widths.contexts_like(browser, context), live_server.url, who, starts, area, shots)
    assert not findings.broken, findings.broken
    assert not findings.too_wide, findings.too_wide
    assert not findings.unreachable, findings.unreachable
    assert len(findings.visited) >= least, findings.visited


def test_a_visitor_reads_the_calendar_a_stop_and_its_registration_form_on_a_phone(
    browser: Browser, live_server: LiveServer, crowd: crowded_roadshow.Crowd, shots: Path
) -> None:
    context = browser.new_context(locale="it-IT")
    stop = f"/stops/{crowd.stop_id}"
    starts = ["/", stop, f"{stop}/register", f"/stops/{crowd.held_stop_id}", "/login", "/sign-in", "/privacy"]
    _assert_every_page_fits(browser, context, live_server, "visitor", starts, "/stops", shots, least=7)


def test_every_page_of_a_company_fits_a_phone_and_a_laptop(
    browser: Browser, live_server: LiveServer, crowd: crowded_roadshow.Crowd, shots: Path
) -> None:
    context = _signed_in_by_link(browser, live_server, crowd.company)
    stop = f"/my/stops/{crowd.stop_id}"
    starts = ["/my", f"{stop}/meetings", f"{stop}/agenda"]
    _assert_every_page_fits(browser, context, live_server, "company", starts, "/my", shots, least=8)


def test_every_page_of_a_consul_fits_a_phone_and_a_laptop(
    browser: Browser, live_server: LiveServer, crowd: crowded_roadshow.Crowd, shots: Path
) -> None:
    context = _signed_in_by_link(browser, live_server, crowd.consul)
    stop = f"/consul/stops/{crowd.stop_id}"
    starts = ["/consul", stop, f"{stop}/requests", f"{stop}/agenda"]
    _assert_every_page_fits(browser, context, live_server, "consul", starts, "/consul", shots, least=6)


def test_every_back_office_page_fits_a_phone_and_a_laptop(
    browser: Browser, live_server: LiveServer, crowd: crowded_roadshow.Crowd, shots: Path
) -> None:
    context = browser.new_context(locale="it-IT")
    page: Page = context.new_page()
    page.goto(live_server.url + "/login?next=/manage/planning")
    page.get_by_label("Email").fill(crowd.organiser)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    _plan_a_small_calendar(page, after=crowd.stop_date)
    page.close()
    stop = f"/manage/stops/{crowd.stop_id}"
    tools = ["", "/registrations", "/consuls", "/meetings", "/agenda", "/checkin"]
    scanned = f"/checkin/{checkin_service.checkin_token(crowd.attendee_id)}"
    starts = [
        "/manage",
        *(stop + tool for tool in tools),
        "/manage/planning",
        f"/manage/consuls/{crowd.consulate_id}",
        scanned,
    ]
    _assert_every_page_fits(browser, context, live_server, "organiser", starts, "/manage", shots, least=30)


def _plan_a_small_calendar(page: Page, after: date) -> None:
    """A planner's scenario, so that its page and the change form are walked too. It plans from
    ``after``: the crowded stop, with its eight countries, would make any plan impossible."""
    page.get_by_label("Prima data possibile").fill((after + timedelta(days=1)).isoformat())
    for field in page.locator("input[name^='sector_stops.']").all():
        slug = (field.get_attribute("name") or "").removeprefix("sector_stops.")
        field.fill("1" if slug in ("mechanics", "aerospace", "energy") else "0")
    page.get_by_role("button", name="Pianifica il calendario").click()
    expect(page.locator("#planning")).to_have_count(0, timeout=60_000)
    expect(page.get_by_role("heading", name="Calendario proposto")).to_be_visible()
