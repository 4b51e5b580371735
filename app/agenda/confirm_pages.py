"""The agenda's confirmations (delete an item, replace the items, publish) and the undo of a delete."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy import func
from sqlmodel import Session, col, select

from app import confirm
from app.accounts.deps import OrganiserUser
from app.agenda import reading, service
from app.agenda.reading import AgendaEntry
from app.companies.models import Registration, RegistrationStatus
from app.db import SessionDep, TransactionRoute
from app.errors import NotFound
from app.i18n import gettext as _
from app.i18n import lazy, ngettext
from app.stops import service as stops_service
from app.stops.models import PublicationStatus, Stop
from app.web import date_text, localized

router = APIRouter(prefix="/manage/stops/{stop_id}/agenda", tags=["agenda"], route_class=TransactionRoute)


def _entry(stop_id: int, item_id: int, *, db_session: Session) -> AgendaEntry:
    entry = next(
        (e for e in reading.list_entries(stop_id, db_session=db_session) if e.item.id == item_id), None
    )
    if entry is None:
        raise NotFound(lazy("This agenda item does not exist."))
    return entry


def _audience(stop: Stop, *, db_session: Session) -> str:
    """Who reads the published programme in their own agenda: confirmed companies and consuls."""
    companies = db_session.exec(
        select(func.count(col(Registration.id)))
        .where(Registration.stop_id == stop.id)
        .where(Registration.status == RegistrationStatus.CONFIRMED)
    ).one()
    consuls = sum(r.confirmed for r in reading.invited_representatives(stop.id or 0, db_session=db_session))
    return _("%(companies)s and %(consuls)s see it in their personal agenda and calendar.") % {
        "companies": ngettext("%(num)d confirmed company", "%(num)d confirmed companies", companies)
        % {"num": companies},
        "consuls": ngettext("%(num)d confirmed consul", "%(num)d confirmed consuls", consuls)
        % {"num": consuls},
    }


def _subject(stop: Stop) -> str:
    return f"{localized(stop, 'title')} · {date_text(stop.stop_date, 'full')}"


def _page(
    request: Request,
    stop: Stop,
    path: str,
    lines: list[str],
    *,
    title: str,
    button: str,
    back_label: str,
    fields: dict[str, str] | None = None,
    danger: bool = True,
) -> HTMLResponse:
    """Every agenda confirmation names the stop, posts to ``path`` below the agenda and goes back to it."""
    agenda = f"/manage/stops/{stop.id}/agenda"
    confirmation = confirm.Confirmation(
        title=title,
        subject=_subject(stop),
        consequences=lines,
        action=agenda + path,
        button=button,
        back_href=agenda,
        back_label=back_label,
        fields=fields or {},
        danger=danger,
    )
    return confirm.page(request, confirmation, section="stops")


@router.get("/items/{item_id}/delete", response_class=HTMLResponse)
def confirm_delete(
    stop_id: int, item_id: int, request: Request, db_session: SessionDep, user: OrganiserUser
) -> HTMLResponse:
    stop = stops_service.get(stop_id, db_session=db_session)
    entry = _entry(stop_id, item_id, db_session=db_session)
    item = entry.item
    when = f"{item.starts_at:%H:%M}–{item.ends_at:%H:%M}"
    lines = [
        _("“%(title)s” (%(time)s) leaves the agenda.") % {"title": localized(item, "title"), "time": when}
    ]
    if entry.speakers:
        names = "; ".join(s.name for s in entry.speakers)
        lines.append(_("Its speakers are no longer listed for it: %(names)s.") % {"names": names})
    if stop.agenda_status == PublicationStatus.PUBLISHED:
        lines.append(
            _("The agenda is published: %(audience)s") % {"audience": _audience(stop, db_session=db_session)}
        )
    lines.append(_("Right after deleting, “Undo” brings the item back with its speakers."))
    return _page(
        request,
        stop,
        f"/items/{item_id}/delete",
        lines,
        title=_("Delete the agenda item"),
        button=_("Delete the item"),
        back_label=_("Keep the item"),
    )


@router.post("/items/{item_id}/restore")
def restore(stop_id: int, item_id: int, db_session: SessionDep, user: OrganiserUser) -> RedirectResponse:
    service.restore_item(stop_id, item_id, actor=user, db_session=db_session)
    return RedirectResponse(f"/manage/stops/{stop_id}/agenda?done=restored", status_code=303)


@router.get("/copy", response_class=HTMLResponse)
def confirm_copy(
    stop_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    source: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    stop = stops_service.get(stop_id, db_session=db_session)
    count = len(reading.list_entries(stop_id, db_session=db_session))
    if source == "template":
        origin = _("the typical day of the roadshow")
    else:
        other = db_session.get(Stop, int(source)) if source.isdigit() else None
        if other is None or other.id == stop_id:
            return RedirectResponse(f"/manage/stops/{stop_id}/agenda", status_code=303)
        origin = _subject(other)
    lines = [
        ngettext(
            "The %(num)d item of this agenda is deleted for good.",
            "The %(num)d items of this agenda are deleted for good.",
            count,
        )
        % {"num": count},
        _("The items of %(origin)s take their place, as a draft to check.") % {"origin": origin},
    ]
    if stop.agenda_status == PublicationStatus.PUBLISHED:
        lines.append(
            _(
                "The published agenda goes back to draft: visitors no longer see it until it is published again."  # noqa: E501
            )
        )
    return _page(
        request,
        stop,
        "/copy",
        lines,
        title=_("Replace the agenda items"),
        button=_("Replace the current items"),
        back_label=_("Keep the current items"),
        fields={"source": source},
    )


@router.get("/status", response_class=HTMLResponse)
def confirm_status(
    stop_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    status: Annotated[str, Query(max_length=20)] = PublicationStatus.PUBLISHED.value,
) -> HTMLResponse:
    """Publishing the agenda, or taking it back to draft: both change what everyone reads."""
    stop = stops_service.get(stop_id, db_session=db_session)
    count = len(reading.list_entries(stop_id, db_session=db_session))
    audience = _audience(stop, db_session=db_session)
    if status == PublicationStatus.DRAFT:
        lines = [
            _("Visitors no longer see the programme on the stop's page."),
            _("It leaves personal agendas and calendars: %(audience)s") % {"audience": audience},
        ]
        title, button, danger = _("Take the agenda back to draft"), _("Back to draft"), True
    else:
        lines = [
            ngettext(
                "%(num)d item appears on the stop's public page.",
                "%(num)d items appear on the stop's public page.",
                count,
            )
            % {"num": count},
            audience,
            _("Anyone subscribed to the stop's calendar feed sees the programme."),
        ]
        title, button, danger = _("Publish the agenda"), _("Publish the agenda"), False
        status = PublicationStatus.PUBLISHED.value
    return _page(
        request,
        stop,
        "/status",
        lines,
        title=title,
        button=button,
        back_label=_("Not yet"),
        fields={"status": status},
        danger=danger,
    )
