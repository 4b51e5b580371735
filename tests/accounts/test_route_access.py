from typing import Annotated

from fastapi import Depends, FastAPI
from fastapi.responses import PlainTextResponse
from sqlmodel import Session

from app.accounts.deps import OrganiserUser, require_roles
from app.accounts.models import Role, User
from app.config import Settings
from tests.accounts.route_access import walk

CompanyUser = Annotated[User, Depends(require_roles(Role.COMPANY))]


def test_every_route_answers_each_role_as_it_declares(app: FastAPI, db_session: Session) -> None:
    problems, checked = walk(app, db_session)
    assert not problems, "\n".join(str(p) for p in problems)
    assert checked >= 5 * len([r for r in app.routes if hasattr(r, "methods")]) - 25


def test_the_walker_catches_undeclared_routes_wrong_roles_and_leaks(
    app: FastAPI, settings: Settings, db_session: Session
) -> None:
    @app.get("/manage/forgotten")
    def forgotten() -> PlainTextResponse:
        return PlainTextResponse("anyone can read this")

    @app.get("/my/walker-leak/{registration_id}")
    def leaky(registration_id: int, user: CompanyUser) -> PlainTextResponse:
        return PlainTextResponse(f"registration {registration_id}, whoever owns it")

    @app.get("/manage/fine")
    def fine(user: OrganiserUser) -> PlainTextResponse:
        return PlainTextResponse("organisers only")

    @app.get("/my/{thing_id}", dependencies=[Depends(require_roles(Role.COMPANY))])
    def unknown_kind(thing_id: int) -> PlainTextResponse:
        return PlainTextResponse("whose thing?")

    problems, _ = walk(app, db_session)
    found = {(p.route, p.identity): p.detail for p in problems}
    assert "declares nobody" in found[("/manage/forgotten", "-")]
    assert found[("GET /my/walker-leak/{registration_id}", "company")] == "another party's ids got 200"
    assert "whose data ['thing_id']" in found[("/my/{thing_id}", "-")]
    assert not [p for p in problems if "/manage/fine" in p.route]
    assert len(problems) == 3
