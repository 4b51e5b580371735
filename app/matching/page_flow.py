"""What the B2B meeting pages share: the confirmations after a POST, and running a service call
that either redirects back with one or shows the page again with the error next to its form."""

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from app.db import discard_changes
from app.errors import AppError, InvalidInput
from app.forms import FormModel
from app.i18n import gettext as _
from app.i18n import lazy
from app.matching.models import RequestPriority
from app.stops import service as stops_service
from app.stops.models import Stop


class RequestForm(FormModel):
    """A meeting request: the company asks, or an organiser adds one for a registration."""

    registration_id: str = ""
    invitation_id: str = ""
    priority: str = RequestPriority.MEDIUM.value
    goal: str = ""


class BlockForm(FormModel):
    first_slot: str = ""
    slot_minutes: str = ""
    slot_count: str = ""
    tables: str = ""


class PlaceForm(FormModel):
    request_id: str = ""
    slot: str = ""
    table: str = ""


DONE = {
    "requested": lazy("Your request has been sent."),
    "withdrawn": lazy("Your request has been withdrawn."),
    "accepted": lazy("You accepted the request."),
    "declined": lazy("You declined the request."),
    "request_added": lazy("The request has been added, accepted."),
    "request_removed": lazy("The request has been removed."),
    "block": lazy("The B2B block has been saved."),
    "scheduled": lazy("The scheduler has run: the new draft schedule is below."),
    "scheduling": lazy(
        "The scheduler is running: this page follows it and shows the new draft when it is done."
    ),
    "moved": lazy("The meeting has been moved."),
    "placed": lazy("The meeting has been added to the schedule."),
    "locked": lazy("The meeting is locked: it keeps its slot when the scheduler runs again."),
    "unlocked": lazy("The meeting is unlocked."),
    "unscheduled": lazy("The meeting has been taken out of the schedule."),
    "published": lazy(
        "The schedule is published; the participants whose meetings changed have been emailed."
    ),
    "attendance": lazy("The meeting's attendance has been saved."),
}


def done_message(key: str | None) -> str | None:
    message = DONE.get(key or "")
    return _(message) if message else None


def attempt(
    request: Request,
    db_session: Session,
    action: Callable[[], object],
    redirect_to: str,
    done: str,
    page: Callable[[dict[str, Any], int], Response],
    form: str,
) -> Response:
    """Run a service call; on a readable error undo it and show the page with the error."""
    try:
        action()
    except InvalidInput as exc:
        discard_changes(db_session)  # the page shows the schedule as it was
        return page({"form": form, "errors": exc.errors}, 422)
    except AppError as exc:
        if exc.status_code not in (409,):
            raise
        discard_changes(db_session)
        return page({"form": form, "alert": exc.translated()}, exc.status_code)
    return RedirectResponse(f"{redirect_to}?done={done}", status_code=303)


def load_stop(stop_id: int, db_session: Session) -> Stop:
    return stops_service.get(stop_id, db_session=db_session)
