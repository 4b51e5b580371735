"""Every route is reached by its own paths, whatever the order the app includes routers in.

``app.main`` includes the routers of the most requested pages first, so that matching a
request for the calendar or a personal agenda tries few routes. That order is free only
while no route takes a path meant for another; where two can match the same path (a
literal ``/new`` beside a ``/{stop_id}``), the literal one must come first.
"""

import re

from fastapi import FastAPI
from fastapi.routing import RouteContext, iter_route_contexts
from starlette.routing import compile_path

from app.config import Settings
from app.main import create_app


def _example(path: str) -> str:
    """A path the route answers: each parameter filled with a value it accepts."""
    return re.sub(r"\{[^}:]+(?::(\w+))?\}", lambda m: "a/b" if m.group(1) == "path" else "7", path)


def _first_match(contexts: list[RouteContext], path: str, methods: set[str]) -> RouteContext | None:
    for context in contexts:
        if set(context.methods or ()) & methods and compile_path(context.path)[0].match(path):
            return context
    return None


def _routes(app: FastAPI) -> list[RouteContext]:
    return [context for context in iter_route_contexts(app.router.routes) if context.methods]


def test_each_route_is_the_first_to_match_its_own_paths() -> None:
    contexts = _routes(create_app(Settings(environment="test", database_url="sqlite://")))
    taken = []
    for context in contexts:
        path = _example(context.path)
        first = _first_match(contexts, path, set(context.methods or ()))
        if first is not context:
            taken.append(f"{sorted(context.methods or ())} {path} goes to {first.path if first else None}")
    assert taken == []


def test_the_check_sees_a_route_taken_by_an_earlier_one() -> None:
    contexts = _routes(create_app(Settings(environment="test", database_url="sqlite://")))
    literal = next(c for c in contexts if c.path == "/manage/stops/new")
    generic = next(c for c in contexts if c.path == "/manage/stops/{stop_id}" and "GET" in (c.methods or ()))
    reordered = [generic, *(c for c in contexts if c is not generic)]
    assert _first_match(reordered, _example(literal.path), {"GET"}) is generic
    assert _first_match(contexts, _example(literal.path), {"GET"}) is literal
