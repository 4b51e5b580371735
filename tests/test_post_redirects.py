"""Every page POST answers a successful submit with a 303 redirect (post/redirect/get).

A page POST that renders HTML on success makes the browser's reload send the form again (a
second registration said "already registered"). The test reads every page POST route's code:
each ``return`` must be a ``RedirectResponse(..., 303)``, a page rendered with an explicit
error ``status=`` (the form shown again), or a helper that itself obeys these rules.
"""

import ast
import inspect
import textwrap
from collections.abc import Callable
from typing import Any

from fastapi.routing import APIRoute

from app.config import Settings
from app.main import create_app
from tests.accounts.route_access import effective_routes

# Page POST routes allowed to answer otherwise, with the reason.
EXCEPTIONS = {
    "/sign-in": "answers the same page whatever the address, so as not to tell who has an account; "
    "a reload only asks for another link, which the rate limit bounds",
    "/manage/consuls/import": "an uploaded file is previewed, nothing is written; applying it redirects",
    "/manage/stops/{stop_id}/registrations/import": "a preview of the uploaded file, nothing written; "
    "the apply step redirects",
}
# What draws a page: returning one of these without an error status answers a POST with a page.
PAGE_RENDERERS = {"render", "HTMLResponse", "confirm.page"}


def page_post_routes() -> list[Any]:
    """(path, endpoint) of every POST route outside the JSON API."""
    app = create_app(Settings(environment="test", database_url="sqlite://"))
    return [
        (route.path, inspect.unwrap(original.endpoint))  # the route as written, not its settling wrapper
        for original, route in effective_routes(app)
        if isinstance(original, APIRoute) and "POST" in route.methods and not route.path.startswith("/api")
    ]


def _tree(function: Callable[..., Any]) -> ast.FunctionDef:
    node = ast.parse(textwrap.dedent(inspect.getsource(function))).body[0]
    assert isinstance(node, ast.FunctionDef)
    return node


def _is_303(call: ast.Call) -> bool:
    values = [k.value for k in call.keywords if k.arg == "status_code"] + call.args[1:2]
    return any(isinstance(v, ast.Constant) and v.value == 303 for v in values)


def _error_status(call: ast.Call) -> bool:
    """Whether the call passes a status: ``status=...``, or an error code or a status positionally."""
    given = [k.value for k in call.keywords if k.arg in ("status", "status_code")] + [
        arg
        for arg in call.args[1:]
        if (isinstance(arg, ast.Constant) and isinstance(arg.value, int)) or "status" in ast.unparse(arg)
    ]
    return bool(given) and not any(isinstance(v, ast.Constant) and v.value < 400 for v in given)


def _problems(function: Callable[..., Any], depth: int = 0) -> list[str]:
    tree = _tree(function)
    assigned = {
        target.id: node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Return) or node.value is None:
            continue
        value = node.value
        if isinstance(value, ast.Name) and value.id in assigned:
            value = assigned[value.id]
        if not isinstance(value, ast.Call):
            problems.append(f"line {node.lineno}: returns {ast.unparse(node.value)}")
            continue
        name = ast.unparse(value.func)
        if name == "RedirectResponse":
            if not _is_303(value):
                problems.append(f"line {node.lineno}: a redirect that is not 303")
            continue
        if _error_status(value):
            continue  # a page shown again with its error status
        helper = function.__globals__.get(name)  # type: ignore[attr-defined]
        if depth < 2 and inspect.isfunction(helper) and name not in PAGE_RENDERERS:
            problems += [f"{name}: {p}" for p in _problems(helper, depth + 1)]
        else:
            problems.append(f"line {node.lineno}: returns {ast.unparse(value)[:80]}")
    return problems


def test_every_page_post_redirects_with_303_after_success() -> None:
    routes = page_post_routes()
    assert len(routes) > 40
    found = {}
    for path, endpoint in routes:
        if path in EXCEPTIONS:
            continue
        problems = _problems(endpoint)
        if problems:
            found[path] = problems
    assert not found, "\n".join(f"POST {path}: {'; '.join(p)}" for path, p in found.items())


def test_the_check_catches_a_page_rendered_on_success() -> None:
    def careless(request: Any) -> Any:
        return render(request, "x.html", {})  # noqa: F821 (never called: only read)

    def forgetful() -> Any:
        return RedirectResponse("/somewhere")  # noqa: F821

    def created(request: Any) -> Any:
        return render(request, "registered.html", {}, status=201)  # noqa: F821

    def shown_again(request: Any, exc: Any) -> Any:
        return render(request, "form.html", {}, status=exc.status_code)  # noqa: F821

    assert _problems(careless) and _problems(forgetful) and _problems(created)
    assert not _problems(shown_again)
