"""The organisers' agenda builder, and the published agenda's calendar feed."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import Field
from sqlmodel import Session, col, select

from app import ics, labels
from app.accounts.deps import OrganiserUser, Public
from app.agenda import copying, events, reading, service
from app.agenda.models import AgendaItem
from app.agenda.schemas import ItemInput, NamedSpeaker
from app.db import SessionDep, TransactionRoute
from app.errors import Conflict, InvalidInput, NotFound
from app.forms import FormModel
from app.i18n import gettext as _
from app.i18n import lazy
from app.stops import service as stops_service
from app.stops import slots
from app.stops.models import PublicationStatus, Stop
from app.web import render

router = APIRouter(tags=["agenda"], route_class=TransactionRoute)

BLANK_SPEAKER_ROWS = 2
NOTICES = {
    "added": lazy("The item has been added."),
    "saved": lazy("The item has been saved."),
    "deleted": lazy("The item has been deleted."),
    "restored": lazy("The item is back in the agenda, with its speakers."),
    "copied": lazy("The agenda has been replaced: check it, then publish it."),
    "published": lazy("The agenda is published on the stop's page."),
    "draft": lazy("The agenda is back to draft: visitors no longer see it."),
}


class ItemForm(FormModel):
    """The agenda item form; speakers come as parallel lists of names and affiliations."""

    kind: str = ""
    starts_at: str = ""
    ends_at: str = ""
    title_it: str = ""
    title_en: str = ""
    description_it: str = ""
    description_en: str = ""
    room: str = ""
    representative_id: list[str] = Field(default_factory=list)
    speaker_name: list[str] = Field(default_factory=list)
    speaker_affiliation: list[str] = Field(default_factory=list)
    # The rows (numbered from 1) whose speaker is still to confirm: a checkbox per row.
    speaker_to_confirm: list[str] = Field(default_factory=list)

    def item_input(self) -> ItemInput:
        names, affiliations = self.speaker_name, self.speaker_affiliation
        affiliations = affiliations + [""] * (len(names) - len(affiliations))
        pending = set(self.speaker_to_confirm)
        return ItemInput(
            **self.values(
                exclude={"representative_id", "speaker_name", "speaker_affiliation", "speaker_to_confirm"}
            ),
            representative_ids=[int(v) for v in self.representative_id if v.isdigit()],
            named_speakers=[
                NamedSpeaker(n, a, str(row) in pending)
                for row, (n, a) in enumerate(zip(names, affiliations, strict=False), start=1)
            ],
        )


ItemFields = Annotated[ItemForm, Form()]


def _copy_sources(stop: Stop, *, db_session: Session) -> list[Stop]:
    with_items = select(AgendaItem.stop_id).where(col(AgendaItem.deleted_at).is_(None)).distinct()
    return list(
        db_session.exec(
            select(Stop)
            .where(col(Stop.id).in_(with_items))
            .where(Stop.id != stop.id)
            .order_by(col(Stop.stop_date))
        )
    )


def _builder(
    request: Request,
    stop: Stop,
    *,
    db_session: Session,
    form: ItemInput | None = None,
    errors: dict[str, str] | None = None,
    editing: AgendaItem | None = None,
    status: int = 200,
    notice: str | None = None,
    page_errors: dict[str, str] | None = None,
    undo: int | None = None,
) -> HTMLResponse:
    form = form or ItemInput(starts_at="", ends_at="")
    speaker_rows = [*form.named_speakers, *[NamedSpeaker() for _ in range(BLANK_SPEAKER_ROWS)]]
    context: dict[str, Any] = {
        "stop": stop,
        "entries": reading.list_entries(stop.id or 0, db_session=db_session),
        "invited": reading.invited_representatives(stop.id or 0, db_session=db_session),
        "kinds": labels.options("agenda_item"),
        "form": form,
        "speaker_rows": speaker_rows,
        "errors": errors or {},
        "page_errors": page_errors or {},
        "editing": editing,
        "copy_sources": _copy_sources(stop, db_session=db_session),
        "problems": reading.agenda_problems(stop, db_session=db_session),
        "warnings": reading.agenda_warnings(stop, db_session=db_session),
        "b2b_window": slots.b2b_window(stop),
        # Shown by the back-office layout, translated here where the language is known.
        "notice": _(NOTICES[notice]) if notice in NOTICES else None,
        "undo": undo if notice == "deleted" else None,
    }
    return render(request, "agenda/manage/builder.html", context, status=status)


def _back(stop_id: int, notice: str) -> RedirectResponse:
    return RedirectResponse(f"/manage/stops/{stop_id}/agenda?done={notice}", status_code=303)


@router.get("/manage/stops/{stop_id}/agenda", response_class=HTMLResponse, name="agenda_builder")
def builder(
    stop_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    done: Annotated[str | None, Query()] = None,
    undo: Annotated[int | None, Query()] = None,
) -> HTMLResponse:
    stop = stops_service.get(stop_id, db_session=db_session)
    return _builder(request, stop, db_session=db_session, notice=done, undo=undo)


@router.post("/manage/stops/{stop_id}/agenda/items", response_class=HTMLResponse)
def add_item(
    stop_id: int, request: Request, db_session: SessionDep, user: OrganiserUser, form: ItemFields
) -> Response:
    data = form.item_input()
    try:
        service.create_item(stop_id, data, actor=user, db_session=db_session)
    except InvalidInput as exc:
        stop = stops_service.get(stop_id, db_session=db_session)
        return _builder(request, stop, db_session=db_session, form=data, errors=exc.errors, status=422)
    return _back(stop_id, "added")


@router.get("/manage/stops/{stop_id}/agenda/items/{item_id}", response_class=HTMLResponse)
def edit_item_form(
    stop_id: int, item_id: int, request: Request, db_session: SessionDep, user: OrganiserUser
) -> HTMLResponse:
    stop = stops_service.get(stop_id, db_session=db_session)
    item = reading.get_item(stop_id, item_id, db_session=db_session)
    entry = next(e for e in reading.list_entries(stop_id, db_session=db_session) if e.item.id == item_id)
    form = reading.input_from_entry(entry)
    return _builder(request, stop, db_session=db_session, form=form, editing=item)


@router.post("/manage/stops/{stop_id}/agenda/items/{item_id}", response_class=HTMLResponse)
def edit_item(
    stop_id: int,
    item_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    form: ItemFields,
) -> Response:
    data = form.item_input()
    try:
        service.update_item(stop_id, item_id, data, actor=user, db_session=db_session)
    except InvalidInput as exc:
        stop = stops_service.get(stop_id, db_session=db_session)
        item = reading.get_item(stop_id, item_id, db_session=db_session)
        return _builder(
            request, stop, db_session=db_session, form=data, errors=exc.errors, editing=item, status=422
        )
    return _back(stop_id, "saved")


@router.post("/manage/stops/{stop_id}/agenda/items/{item_id}/delete")
def delete_item(stop_id: int, item_id: int, db_session: SessionDep, user: OrganiserUser) -> RedirectResponse:
    service.delete_item(stop_id, item_id, actor=user, db_session=db_session)
    return RedirectResponse(f"/manage/stops/{stop_id}/agenda?done=deleted&undo={item_id}", status_code=303)


@router.post("/manage/stops/{stop_id}/agenda/copy", response_class=HTMLResponse)
def copy_agenda(
    stop_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    source: Annotated[str, Form()] = "",
) -> Response:
    try:
        copying.copy_agenda(stop_id, source, actor=user, db_session=db_session)
    except InvalidInput as exc:
        stop = stops_service.get(stop_id, db_session=db_session)
        return _builder(request, stop, db_session=db_session, page_errors=exc.errors, status=422)
    return _back(stop_id, "copied")


@router.post("/manage/stops/{stop_id}/agenda/status", response_class=HTMLResponse)
def set_status(
    stop_id: int,
    request: Request,
    db_session: SessionDep,
    user: OrganiserUser,
    status: Annotated[str, Form()] = "",
) -> Response:
    if status not in (PublicationStatus.PUBLISHED, PublicationStatus.DRAFT):
        raise InvalidInput({"status": _("Choose to publish the agenda or take it back to draft.")})
    try:
        service.set_status(stop_id, PublicationStatus(status), actor=user, db_session=db_session)
    except (InvalidInput, Conflict) as exc:
        stop = stops_service.get(stop_id, db_session=db_session)
        errors = exc.errors if isinstance(exc, InvalidInput) else {"agenda": exc.translated()}
        return _builder(request, stop, db_session=db_session, page_errors=errors, status=exc.status_code)
    return _back(stop_id, "published" if status == PublicationStatus.PUBLISHED else "draft")


@router.get("/stops/{stop_id}/agenda.ics", name="stop_agenda_ics", dependencies=[Public])
def stop_calendar(stop_id: int, db_session: SessionDep) -> Response:
    view = stops_service.get_public(stop_id, db_session=db_session)
    entries = reading.public_entries(view.stop, db_session=db_session)
    if not entries:
        raise NotFound(lazy("This stop's agenda has not been published yet."))
    body = events.stop_calendar(view.stop, entries)
    return ics.response(body, f"{view.stop.slug}.ics")
