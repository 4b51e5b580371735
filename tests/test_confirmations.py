"""Every destructive or broadcast action goes through one confirmation step.

Such an action is a POST route whose path says what it does (cancel, delete, remove, withdraw,
erase, invite, publish, copy...). Its confirmation is the GET route at the same path, drawn by
``templates/_macros/confirm.html``; pages link to it instead of posting straight to the action.
"""

import re
from pathlib import Path

from app.config import ROOT
from tests.test_post_redirects import page_post_routes

DESTRUCTIVE = re.compile(
    r"/(cancel|delete|remove|withdraw|erase|invite|publish|copy|status|unschedule|decline|deactivate)$"
)
# Destructive-sounding actions without a confirmation page, and why.
EXEMPT = {
    "/manage/stops/{stop_id}/meetings/publish": "the meeting schedule's publishing is confirmed by its own "
    "review step (helper `statuses`)",
    "/manage/stops/{stop_id}/publish": "publishing or reopening a stop emails nobody and is undone by closing it",
    "/manage/stops/{stop_id}/meetings/{meeting_id}/unschedule": "the meeting goes back to the unplaced list, "
    "from where it is placed again; before publishing nobody is told",
    "/consul/invitations/{token}/decline": "the consul's own answer on the invitation page, which asks for "
    "a reason first; consul pages belong to helper `consul-loop`",
}
TEMPLATES = ROOT / "templates"
POST_FORM = re.compile(r'<form\s+method="post"\s+action="([^"]+)"', re.IGNORECASE)


def _route_pattern(path: str) -> re.Pattern[str]:
    return re.compile("^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(path)) + "$")


def test_every_destructive_post_has_a_confirmation_at_the_same_path() -> None:
    from app.config import Settings
    from app.main import create_app
    from tests.accounts.route_access import effective_routes

    app = create_app(Settings(environment="test", database_url="sqlite://"))
    gets = {
        route.path.replace(":int", "")
        for _original, route in effective_routes(app)
        if "GET" in getattr(route, "methods", ())
    }
    actions = [path.replace(":int", "") for path, _endpoint in page_post_routes()]
    destructive = [path for path in actions if DESTRUCTIVE.search(path)]
    assert len(destructive) >= 10
    missing = [path for path in destructive if path not in gets and path not in EXEMPT]
    assert not missing, "add a GET confirmation (app/confirm.py) for: " + ", ".join(missing)


def test_no_page_posts_straight_to_a_destructive_action() -> None:
    """Pages link to the confirmation; only the confirmation's form posts to the action."""
    patterns = {path: _route_pattern(path) for path in EXEMPT}
    straight = []
    for template in TEMPLATES.rglob("*.html"):
        if template.parts[-2:] == ("_macros", "confirm.html") or "_email" in template.parts:
            continue
        for action in POST_FORM.findall(template.read_text()):
            plain = re.sub(r"\{\{[^}]*\}\}", "X", action).split("?")[0]
            if DESTRUCTIVE.search(plain) and not any(
                p.match(plain.replace("X", "1")) for p in patterns.values()
            ):
                straight.append(f"{template.relative_to(ROOT)}: {action}")
    assert not straight, "link to the confirmation page instead:\n" + "\n".join(straight)


def test_the_confirmation_macro_posts_with_the_csrf_token_and_offers_a_way_back() -> None:
    macro = Path(TEMPLATES / "_macros" / "confirm.html").read_text()
    assert 'method="post"' in macro and "csrf_input()" in macro and "back_href" in macro
