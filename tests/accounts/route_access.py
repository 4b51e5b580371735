"""Checks every route of an app against what it declares about who may use it.

A route declares its users with ``Public`` (anyone) or with a user dependency from
``app.accounts.deps`` (``CurrentUser``, ``OrganiserUser``, ``AdminUser``,
``require_roles(...)``) anywhere in its dependency tree. The walker requests each route as
anonymous, company, consul, organiser and admin and compares the answers with the
declaration; routes open to companies or consuls whose path names someone's data are also
requested with the ids of *another* company's or consul's data, which must not succeed.

New routes are covered without touching this file. A route whose path parameter names data
of a kind not listed in ``OWNED_BY_ANOTHER`` or ``SHARED_PARAMETERS`` is reported, so the
developer adds one line here saying whose data it is.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from fastapi.testclient import TestClient
from sqlmodel import Session
from starlette.routing import BaseRoute, Mount, Route

from app.accounts import deps
from app.accounts.models import Role, User
from app.stops.models import Stop
from tests.factories import (
    attendees_of,
    create_company,
    create_invitation,
    create_meeting,
    create_meeting_request,
    create_registration,
    create_representative,
    create_stop,
    create_user,
    csrf_token,
    sign_in_as,
)

# Routes FastAPI itself adds: the API documentation, open to anyone by design.
FRAMEWORK_ROUTES = {"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"}
MOUNTS = {"/static"}
# Path parameters that name nobody's data: the same value may be used by any identity.
SHARED_PARAMETERS = {"stop_id", "language", "token", "slug", "sector", "territory", "country_code"}

ALL_ROLES = frozenset(Role)
LINK_ROLES = frozenset({Role.COMPANY, Role.CONSUL})


@dataclass(frozen=True)
class Declaration:
    public: bool
    roles: frozenset[Role]  # who may use it; every role for a public route


def _calls(dependant: Dependant) -> Iterator[Any]:
    for dependency in dependant.dependencies:
        yield dependency.call
        yield from _calls(dependency)


def effective_routes(app: FastAPI) -> Iterator[tuple[BaseRoute, Any]]:
    """(route as registered, route as served): with included routers' prefixes and dependencies."""
    for context in iter_route_contexts(app.routes):
        yield context.original_route, context._effective_route


def declaration(route: Any) -> Declaration | None:
    calls = list(_calls(route.dependant))
    role_sets = [call.allowed_roles for call in calls if hasattr(call, "allowed_roles")]
    if role_sets:
        return Declaration(public=False, roles=frozenset.intersection(*role_sets))
    if deps.get_current_user in calls:
        return Declaration(public=False, roles=ALL_ROLES)
    if deps.public in calls:
        return Declaration(public=True, roles=ALL_ROLES)
    return None


@dataclass
class Party:
    """One company and one consul, with everything that can belong to them."""

    company_user: User
    consul_user: User
    ids: dict[str, int]


def make_party(db_session: Session, stop: Stop, tag: str) -> Party:
    company = create_company(db_session, name=f"Walker {tag}", contact_email=f"{tag}@c.example.org")
    representative = create_representative(
        db_session, country="US", name=f"Consul {tag}", email=f"{tag}@consul.example.org"
    )
    registration = create_registration(
        db_session, stop, company, status="confirmed", attendees=[f"Ada {tag}"]
    )
    (attendee,) = attendees_of(db_session, registration)
    # Confirmed, so that the consul's own pages (requests, meetings) are open to them.
    invitation = create_invitation(db_session, stop, representative, status="confirmed")
    request = create_meeting_request(db_session, registration, invitation, status="pending", goal="")
    meeting = create_meeting(db_session, request, table_number=1 + len(tag) % 5)
    company_user = create_user(
        db_session, role="company", company_id=company.id, email=f"user.{tag}@c.example.org"
    )
    consul_user = create_user(
        db_session, role="consul", representative_id=representative.id, email=f"user.{tag}@consul.example.org"
    )
    ids = {
        "company_id": company.id,
        "registration_id": registration.id,
        "attendee_id": attendee.id,
        "representative_id": representative.id,
        "consul_id": representative.id,
        "invitation_id": invitation.id,
        "request_id": request.id,
        "meeting_request_id": request.id,
        "meeting_id": meeting.id,
        "user_id": company_user.id,
    }
    return Party(company_user, consul_user, {k: int(v) for k, v in ids.items() if v is not None})


# Whose data each path parameter names: the value taken from the *other* party.
OWNED_BY_ANOTHER = {
    "company_id",
    "registration_id",
    "attendee_id",
    "representative_id",
    "consul_id",
    "invitation_id",
    "request_id",
    "meeting_request_id",
    "meeting_id",
    "user_id",
}


@dataclass
class Problem:
    route: str
    identity: str
    detail: str

    def __str__(self) -> str:
        return f"{self.route} as {self.identity}: {self.detail}"


def walk(app: FastAPI, db_session: Session) -> tuple[list[Problem], int]:
    """Every problem found, and how many requests were checked."""
    stop = create_stop(db_session)
    assert stop.id is not None
    mine = make_party(db_session, stop, "mine")
    other = make_party(db_session, stop, "other")
    organiser = create_user(db_session, role="organiser")
    admin = create_user(db_session, role="admin")
    db_session.commit()
    identities: dict[str, User | None] = {
        "anonymous": None,
        "company": mine.company_user,
        "consul": mine.consul_user,
        "organiser": organiser,
        "admin": admin,
    }
    problems: list[Problem] = []
    checked = 0
    for original, route in effective_routes(app):
        if isinstance(original, Mount) and original.path in MOUNTS:
            continue
        if not isinstance(original, APIRoute):
            path = getattr(route, "path", repr(route))
            if not (isinstance(original, Route) and path in FRAMEWORK_ROUTES):
                problems.append(
                    Problem(path, "-", "not an APIRoute: declare it or list it in FRAMEWORK_ROUTES")
                )
            continue
        declared = declaration(route)
        if declared is None:
            problems.append(
                Problem(route.path, "-", "declares nobody: add dependencies=[Public] or a user dependency")
            )
            continue
        params = [name for name in route.param_convertors]
        unknown = [p for p in params if p not in OWNED_BY_ANOTHER | SHARED_PARAMETERS]
        ownership = bool(declared.roles & LINK_ROLES) and not declared.public
        if unknown and ownership:
            problems.append(
                Problem(
                    route.path, "-", f"say whose data {unknown} name (OWNED_BY_ANOTHER or SHARED_PARAMETERS)"
                )
            )
            continue
        for method in sorted(route.methods - {"HEAD"}):
            for name, user in identities.items():
                own_values = {p: str(mine.ids.get(p, stop.id)) for p in params}
                status, location = _request(app, method, route.path_format, own_values, user, db_session)
                checked += 1
                problem = _judge(declared, user, status, location, route.path)
                if problem:
                    problems.append(Problem(f"{method} {route.path}", name, problem))
                if ownership and user is not None and user.role in declared.roles and user.role in LINK_ROLES:
                    others = {
                        p: str(other.ids[p]) if p in OWNED_BY_ANOTHER else own_values[p] for p in params
                    }
                    if others != own_values:
                        status, _ = _request(app, method, route.path_format, others, user, db_session)
                        checked += 1
                        if not 400 <= status < 500:
                            problems.append(
                                Problem(f"{method} {route.path}", name, f"another party's ids got {status}")
                            )
    return problems, checked


def _request(
    app: FastAPI, method: str, path: str, values: dict[str, str], user: User | None, db_session: Session
) -> tuple[int, str]:
    # Each request's changes are rolled back, so that one route (cancelling the stop, erasing a
    # company) cannot change what the next route is judged on.
    savepoint = db_session.connection().begin_nested()
    try:
        return _send(app, method, path, values, user)
    finally:
        savepoint.rollback()


def _send(app: FastAPI, method: str, path: str, values: dict[str, str], user: User | None) -> tuple[int, str]:
    with TestClient(app, base_url="http://testserver", raise_server_exceptions=False) as client:
        if user is not None:
            sign_in_as(client, user)
        url = path.format(**values)
        kwargs: dict[str, Any] = {"follow_redirects": False}
        if method not in ("GET", "OPTIONS"):
            if url.startswith("/api"):
                kwargs["json"] = {}
            else:
                kwargs["data"] = {"csrf_token": csrf_token(client)}
        response = client.request(method, url, **kwargs)
        return response.status_code, response.headers.get("location", "")


def _judge(declared: Declaration, user: User | None, status: int, location: str, path: str) -> str | None:
    if status >= 500:
        return f"server error {status}"
    asked_to_sign_in = status == 401 or (status in (302, 303, 307) and location.startswith("/login"))
    if declared.public:
        # A public route may answer 401 to wrong credentials, but never send anyone to sign in.
        if status == 403 or (status in (302, 303, 307) and location.startswith("/login")):
            return f"public route answered {status} {location}".strip()
        return None
    if user is None:
        return None if asked_to_sign_in else f"anonymous got {status}, expected 401 or a redirect to /login"
    if user.role in declared.roles:
        if asked_to_sign_in or status == 403:
            return f"allowed role got {status}"
        return None
    return None if status == 403 else f"role {user.role} got {status}, expected 403"


Walker = Callable[[FastAPI, Session], tuple[list[Problem], int]]
