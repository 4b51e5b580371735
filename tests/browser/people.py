"""What a journey does as a person: sign in, open the link of an email, look at the page's width."""

import re

from playwright.sync_api import Page
from sqlmodel import select

from app.accounts.service import Signer
from app.config import DEVELOPMENT_SECRET, Settings
from app.db import make_engine, session_scope
from app.notifications.models import OutboxMessage
from app.web import SESSION_COOKIE
from tests.browser.conftest import LiveServer


def server_settings(live_server: LiveServer) -> Settings:
    """The server's settings, as a worker running its periodic jobs reads them."""
    return Settings(
        database_url=live_server.database_url,
        environment="test",
        base_url=live_server.url,
        secret_key=live_server.env.get("ROADSHOW_SECRET_KEY", DEVELOPMENT_SECRET),
    )


def act_as(page: Page, live_server: LiveServer, user_id: int) -> None:
    """Sign in as a company or consul, as the emailed sign-in link would."""
    holder = type("U", (), {"id": user_id, "credential_version": 0})()  # as created: never revoked
    cookie = Signer(server_settings(live_server).secret_key).session_cookie(holder)  # type: ignore[arg-type]
    page.context.clear_cookies()
    page.context.add_cookies([{"name": SESSION_COOKIE, "value": cookie, "url": live_server.url}])


def sign_in_with_password(
    page: Page, live_server: LiveServer, email: str, password: str, next_path: str
) -> None:
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/login?next={next_path}")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Accedi").click()


def emailed_link(live_server: LiveServer, to: str, path: str) -> str:
    """The newest link through ``path`` on a line of its own in the text part of the emails to ``to``."""
    engine = make_engine(live_server.database_url)
    with session_scope(engine, write=False) as db_session:
        query = select(OutboxMessage).where(OutboxMessage.to_address == to)
        bodies = [message.body_text for message in db_session.exec(query)]
    engine.dispose()
    found = [link for body in bodies for link in re.findall(rf"^(http://\S+{path}\S+)$", body, re.M)]
    assert found, bodies
    return found[-1]


def no_sideways_scroll(page: Page, width: int) -> None:
    """Make the window ``width`` pixels wide and check the page fits it."""
    page.set_viewport_size({"width": width, "height": 900})
    assert page.evaluate("document.documentElement.scrollWidth") <= width, (page.url, width)
