from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer


def test_visitor_filters_the_calendar_opens_a_stop_and_switches_to_english(
    page: Page, live_server: LiveServer, artifacts: Path
) -> None:
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Calendario del roadshow 2026–2027")
    page.screenshot(path=str(artifacts / "calendar-it.png"), full_page=True)

    page.get_by_label("Settore").select_option("aerospace")
    page.get_by_role("button", name="Filtra").click()
    expect(page).to_have_url(live_server.url + "/?sector=aerospace&country=&territory=")
    cards = page.locator("article.stop-card")
    expect(cards).to_have_count(1)
    expect(cards.first).to_contain_text("Aerospazio")
    page.screenshot(path=str(artifacts / "calendar-aerospace.png"), full_page=True)

    cards.first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aerospazio a Varese")
    expect(page.locator(".facts")).to_contain_text("Stati Uniti")

    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Aerospace in Varese")
    expect(page.locator(".facts")).to_contain_text("United States")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.screenshot(path=str(artifacts / "stop-en.png"), full_page=True)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Calendar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Roadshow calendar 2026–2027")
