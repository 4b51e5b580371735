"""A real server (``roadshow serve``) on a fresh database, and headless Debian Chromium."""

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from tests.conftest import migrated_and_seeded, skip_or_fail
from tests.live_server import free_port, wait_until_serving

CHROMIUM = Path(os.environ.get("ROADSHOW_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test of this folder ``browser`` (a ``pytestmark`` in a conftest marks nothing),
    so that ``-m browser`` selects them and ``-m "not browser"`` leaves them out."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


class LiveServer:
    def __init__(self, url: str, database_url: str, env: dict[str, str]) -> None:
        self.url = url
        self.database_url = database_url
        self.env = env


# One server and database per test module: a journey never sees another journey's stops.
@pytest.fixture(scope="module")
def live_server(
    sqlite_database: Callable[[], str], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[LiveServer]:
    database_url = sqlite_database()
    migrated_and_seeded(database_url).dispose()
    port = free_port()
    env = {
        **os.environ,
        "ROADSHOW_DATABASE_URL": database_url,
        "ROADSHOW_ENVIRONMENT": "test",
        # Journeys check the public pages right after each change.
        "ROADSHOW_PUBLIC_CACHE_SECONDS": "0",
    }
    env["ROADSHOW_BASE_URL"] = f"http://127.0.0.1:{port}"
    log = (tmp_path_factory.mktemp("server") / "server.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "app.cli", "serve", "--port", str(port)], env=env, stdout=log, stderr=log
    )
    url = f"http://127.0.0.1:{port}"
    wait_until_serving(url, [process], Path(log.name))
    yield LiveServer(url, database_url, env)
    process.terminate()
    try:  # the app lets its job process finish the job in hand (up to 15 s) before exiting
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        skip_or_fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest, artifacts: Path) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it-IT")
    page = context.new_page()
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        page.screenshot(path=str(artifacts / f"FAILED-{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[None]:
    outcome = yield
    report = outcome.get_result()  # type: ignore[attr-defined]
    setattr(item, f"rep_{report.when}", report)
