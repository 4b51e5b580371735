"""The rating pages that the emailed links open: no sign-in, the link is the credential.

GET shows the party's meetings, each with its form; POST stores one meeting's answer and
redirects back. A garbled link is a 404, a withdrawn or expired one a 410, in the reader's
language, and neither changes anything.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from app.accounts.deps import Public
from app.db import SessionDep, TransactionRoute, discard_changes
from app.errors import InvalidInput
from app.labels import options
from app.outcomes import asking, rating
from app.outcomes.rating import Access, RatingForm
from app.web import render

router = APIRouter(tags=["pages"], route_class=TransactionRoute)

# The jobs that send the links live beside the pages that answer them.
JOBS = (asking.ask_for_ratings, asking.ask_for_follow_ups)


def _page(request: Request, access: Access, status: int = 200, **extra: Any) -> HTMLResponse:
    saved = request.query_params.get("saved", "")
    context = {
        "access": access,
        "stop": access.stop,
        "saved": int(saved) if saved.isdigit() else None,
        "took_place_choices": [
            ("yes", rating.took_place_label(True)),
            ("no", rating.took_place_label(False)),
        ],
        "interest_choices": options("interest"),
        "outcome_choices": options("follow_up"),
        "form_meeting": None,
        "values": {},
        "errors": {},
        **extra,
    }
    return render(request, "outcomes/public/rate.html", context, status=status)


@router.get("/outcomes/{stage}/{party}/{token}", response_class=HTMLResponse, dependencies=[Public])
def rating_page(stage: str, party: str, token: str, request: Request, db_session: SessionDep) -> Response:
    access = rating.open_link(stage, party, token, settings=request.app.state.settings, db_session=db_session)
    return _page(request, access)


@router.post(
    "/outcomes/{stage}/{party}/{token}/{meeting_id}", response_class=HTMLResponse, dependencies=[Public]
)
def rate_meeting(
    stage: str,
    party: str,
    token: str,
    meeting_id: int,
    request: Request,
    db_session: SessionDep,
    form: Annotated[RatingForm, Form()],
) -> Response:
    access = rating.open_link(stage, party, token, settings=request.app.state.settings, db_session=db_session)
    try:
        rating.answer(access, meeting_id, form, db_session=db_session)
    except InvalidInput as exc:
        discard_changes(db_session)
        return _page(request, access, 422, form_meeting=meeting_id, values=form.values(), errors=exc.errors)
    url = f"/outcomes/{stage}/{party}/{token}?saved={meeting_id}#meeting-{meeting_id}"
    return RedirectResponse(url, status_code=303)
