"""An organiser plans a small calendar, pins a stop, plans again and accepts the plan."""

from pathlib import Path

from playwright.sync_api import Page, expect
from sqlmodel import col, select

from app.accounts import service as accounts_service
from app.accounts.models import Role
from app.db import make_engine, session_scope
from app.stops.models import Stop, StopStatus
from tests.browser.conftest import LiveServer

SECTORS = ("mechanics", "aerospace", "energy")
PASSWORD = "planner journey password"
PLANNING_TIMEOUT = 40_000  # ms: the planner's time limit, the runner's poll and a refresh


def test_organiser_plans_pins_plans_again_and_accepts(
    page: Page, live_server: LiveServer, artifacts: Path
) -> None:
    engine = make_engine(live_server.database_url)
    with session_scope(engine) as db_session:
        accounts_service.create(
            "planner@example.org", role=Role.ORGANISER, password=PASSWORD, db_session=db_session
        )
        drafts_before = set(db_session.exec(select(Stop.id).where(Stop.status == StopStatus.DRAFT)))

    page.goto(live_server.url + "/login?next=/manage/planning")
    page.get_by_label("Email").fill("planner@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Accedi").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pianifica il calendario del roadshow")

    for field in page.locator("input[name^='sector_stops.']").all():
        slug = (field.get_attribute("name") or "").removeprefix("sector_stops.")
        field.fill("1" if slug in SECTORS else "0")
    page.get_by_role("button", name="Pianifica il calendario").click()
    # A job plans it: the page refreshes itself until the plan is there.
    expect(page.locator("#planning")).to_have_count(0, timeout=PLANNING_TIMEOUT)
    expect(page.get_by_role("heading", name="Calendario proposto")).to_be_visible()
    table = page.locator("table.plan-table")
    expect(table.locator("tbody tr.is-proposed")).to_have_count(3)
    expect(page.locator("table.month").first).to_be_visible()
    page.screenshot(path=str(artifacts / "planner-calendar-it.png"), full_page=True)

    first = table.locator("tbody tr.is-proposed").first
    pinned_date = first.locator("th").inner_text()
    pinned_place = first.locator("td").nth(1).inner_text()
    first.get_by_role("button", name="Fissa").click()
    pinned_row = table.locator("tbody tr.is-pinned")
    expect(pinned_row).to_have_count(1)
    expect(pinned_row.locator("th")).to_have_text(pinned_date)

    page.get_by_role("button", name="Ripianifica attorno alle tappe fissate").click()
    expect(page.locator("#planning")).to_have_count(0, timeout=PLANNING_TIMEOUT)
    expect(table.locator("tbody tr.is-pinned")).to_have_count(1)
    expect(table.locator("tbody tr.is-pinned th")).to_have_text(pinned_date)
    expect(table.locator("tbody tr.is-pinned td").nth(1)).to_have_text(pinned_place)
    expect(table.locator("tbody tr.is-proposed")).to_have_count(2)
    expect(page.locator("table.month td.is-held")).to_have_count(1)
    page.screenshot(path=str(artifacts / "planner-calendar-pinned-it.png"), full_page=True)

    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", name="Proposed calendar")).to_be_visible()
    page.locator("#proposal").screenshot(path=str(artifacts / "planner-calendar-en.png"))

    page.get_by_role("button", name="Accept the plan and create draft stops").click()
    expect(page).to_have_url(live_server.url + "/manage/stops")
    with session_scope(engine) as db_session:
        drafts = db_session.exec(
            select(Stop).where(Stop.status == StopStatus.DRAFT, col(Stop.id).not_in(drafts_before))
        ).all()
        assert sorted(stop.sector_slug for stop in drafts) == sorted(SECTORS)
    engine.dispose()
