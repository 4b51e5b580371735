"""The pages behind the accept and decline links of the representatives' request digest.

GET shows the request and one button; only the POST answers. Both work for a visitor who is
not signed in (the form carries the CSRF token of their browser). Pages speak the
representative's language unless the reader chose one on this site.
"""

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlmodel import Session, col, select

from app.accounts.deps import Public
from app.companies.models import CompanySector
from app.consuls.invitations import message_language
from app.db import SessionDep, TransactionRoute
from app.i18n import LANGUAGE_COOKIE, set_language
from app.matching import answer_links
from app.matching import requests as requests_service
from app.matching.answer_links import LinkedRequest, LinkProblem
from app.reference.models import Sector
from app.web import render

router = APIRouter(prefix="/consul/requests", tags=["pages"], route_class=TransactionRoute)

TEMPLATE = "matching/public/answer_link.html"


def _speak_their_language(request: Request, linked: LinkedRequest | None) -> None:
    if linked is not None and LANGUAGE_COOKIE not in request.cookies:
        set_language(message_language(linked.person))


def _sectors(linked: LinkedRequest, db_session: Session) -> list[Sector]:
    return list(
        db_session.exec(
            select(Sector)
            .join(CompanySector, col(CompanySector.sector_slug) == col(Sector.slug))
            .where(CompanySector.company_id == linked.company.id)
            .order_by(col(Sector.slug))
        ).all()
    )


def _page(
    request: Request, db_session: Session, linked: LinkedRequest | None, status: int = 200, **extra: Any
) -> HTMLResponse:
    _speak_their_language(request, linked)
    context: dict[str, Any] = {"linked": linked, "problem": None, "done": False, **extra}
    if linked is not None:
        context["sectors"] = _sectors(linked, db_session)
        context["last_day"] = requests_service.last_answer_day(linked.stop)
    return render(request, TEMPLATE, context, status=status)


def _problem_page(request: Request, db_session: Session, problem: LinkProblem) -> HTMLResponse:
    return _page(request, db_session, problem.linked, problem.status, problem=problem)


@router.get("/{action}/{token}", response_class=HTMLResponse, dependencies=[Public])
def confirm_page(action: str, token: str, request: Request, db_session: SessionDep) -> Response:
    settings = request.app.state.settings
    if request.query_params.get("done") == "1":
        try:
            linked = answer_links.read(token, action, db_session=db_session, settings=settings)
        except LinkProblem as problem:
            return _problem_page(request, db_session, problem)
        return _page(request, db_session, linked, done=True)
    try:
        linked = answer_links.usable(token, action, db_session=db_session, settings=settings)
    except LinkProblem as problem:
        return _problem_page(request, db_session, problem)
    return _page(request, db_session, linked)


@router.post("/{action}/{token}", response_class=HTMLResponse, dependencies=[Public])
def answer(action: str, token: str, request: Request, db_session: SessionDep) -> Response:
    settings = request.app.state.settings
    try:
        answer_links.answer(token, action, db_session=db_session, settings=settings)
    except LinkProblem as problem:
        return _problem_page(request, db_session, problem)
    return RedirectResponse(f"/consul/requests/{action}/{token}?done=1", status_code=303)
