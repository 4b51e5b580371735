"""The back office's home page, ``/manage``."""

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from app.accounts.deps import OrganiserUser
from app.db import SessionDep, TransactionRoute
from app.manage import dashboard
from app.web import render

router = APIRouter(prefix="/manage", tags=["back office"], route_class=TransactionRoute)


@router.get("", response_class=HTMLResponse, name="manage_dashboard")
def home(request: Request, db_session: SessionDep, user: OrganiserUser) -> HTMLResponse:
    board = dashboard.build(db_session=db_session)
    return render(request, "manage/dashboard.html", {"section": "dashboard", "board": board})
