"""What the meeting pages show, gathered from one load of the stop's data."""

from dataclasses import dataclass, field
from functools import cache, cached_property
from typing import Any

from sqlmodel import Session

from app import labels as enum_labels
from app.companies.models import Company, Registration
from app.consuls.models import Consulate, Invitation, Representative
from app.errors import NotFound
from app.i18n import gettext as _
from app.i18n import lazy
from app.matching import data as stop_data
from app.matching import requests as requests_service
from app.matching import scheduling, statuses, suggesting
from app.matching.data import StopData
from app.matching.models import Meeting, MeetingRequest, RequestStatus
from app.matching.publishing import published_entries
from app.reference.models import Country
from app.stops.models import PublicationStatus, Stop
from app.stops.slots import slot_labels
from app.web import localized

SCHEDULE_LABELS = {
    PublicationStatus.NONE: lazy("Not scheduled yet"),
    PublicationStatus.DRAFT: lazy("Draft: not yet visible to participants"),
    PublicationStatus.PUBLISHED: lazy("Published: visible to participants"),
}


@dataclass
class RequestRow:
    """A request with the people behind it, as every page lists it. The labels are written
    once per distinct value while the rows are built: a stop's page lists hundreds of rows."""

    request: MeetingRequest
    company: Company
    registration: Registration
    invitation: Invitation
    representative: Representative
    consulate: Consulate
    country: Country
    country_name: str
    weight: int
    mutual_interest: bool
    meeting: Meeting | None
    slot: str | None
    table_label: str
    sector_names: list[str]
    province: str
    priority_label: str
    status_label: str
    info: StopData = field(repr=False)

    @cached_property
    def display(self) -> statuses.DisplayStatus:
        """What a participant reads for the request (only their own pages show it)."""
        return statuses.of_request(self.info, self.request)

    @property
    def size_label(self) -> str:
        return enum_labels.label(self.company.size_class, "size")


def rows(info: StopData, requests: list[MeetingRequest]) -> list[RequestRow]:
    labels = slot_labels(info.stop)
    # Each label is written once per distinct value (in the language of this request).
    country_name = cache(lambda code: localized(info.countries[code], "name"))
    sector_name = cache(lambda slug: localized(info.sectors[slug], "name"))
    priority_label = cache(lambda priority: enum_labels.label(priority, "priority"))
    status_label = cache(lambda status: enum_labels.label(status, "request"))
    tables = cache(table_label)
    result = []
    for q in requests:
        invitation = info.invitations[q.invitation_id]
        representative = info.representative_of(invitation)
        company = info.company_of(q)
        meeting = info.meetings.get(q.id or 0)
        mutual = info.mutual_interest(q)
        result.append(
            RequestRow(
                request=q,
                company=company,
                registration=info.registrations[q.registration_id],
                invitation=invitation,
                representative=representative,
                consulate=info.consulates[representative.consulate_id],
                country=info.countries[invitation.country_code],
                country_name=country_name(invitation.country_code),
                weight=info.weight(q, mutual=mutual),
                mutual_interest=mutual,
                meeting=meeting,
                slot=labels[meeting.slot_index] if meeting and meeting.slot_index < len(labels) else None,
                table_label=tables(meeting.table_number) if meeting else "",
                sector_names=[sector_name(s) for s in info.company_sectors.get(company.id or 0, [])],
                province=info.territories[company.province_code].name
                if company.province_code in info.territories
                else "",
                priority_label=priority_label(q.priority),
                status_label=status_label(q.status),
                info=info,
            )
        )
    return result


def table_label(table: int) -> str:
    """A meeting's table, as a cell or a list says it after the slot."""
    return _("table %(table)d") % {"table": table}


def invitation_options(info: StopData, exclude: set[int] | None = None) -> list[tuple[int, str]]:
    options = []
    for invitation in info.confirmed_invitations():
        if exclude and invitation.id in exclude:
            continue
        representative = info.representative_of(invitation)
        consulate = info.consulates[representative.consulate_id]
        country = localized(info.countries[invitation.country_code], "name")
        options.append(
            (invitation.id or 0, f"{country} — {representative.name}, {localized(consulate, 'name')}")
        )
    return sorted(options, key=lambda option: option[1])


def _priorities() -> list[tuple[str, str]]:
    return enum_labels.options("priority")


def _published(stop: Stop) -> bool:
    return stop.schedule_status == PublicationStatus.PUBLISHED


def company_context(stop: Stop, registration: Registration, *, db_session: Session) -> dict[str, Any]:
    info = stop_data.load_personal(stop, registration_id=registration.id, db_session=db_session)
    own = [q for q in info.requests if q.registration_id == registration.id]
    used = sum(1 for q in own if requests_service.counts_against_quota(q))
    options = invitation_options(info, exclude={q.invitation_id for q in own})
    return {
        "stop": stop,
        "requests": rows(info, own),
        "options": options,
        "priorities": _priorities(),
        "quota": stop.meeting_request_quota,
        "used": used,
        "can_request": not _published(stop) and used < stop.meeting_request_quota and bool(options),
        "published": _published(stop),
        "agenda": published_entries(info, registration_id=registration.id),
        "suggestions": suggesting.for_company(info, registration),
        "values": {},
        "errors": {},
    }


def consul_context(stop: Stop, invitation: Invitation, *, db_session: Session) -> dict[str, Any]:
    info = stop_data.load_personal(stop, invitation_id=invitation.id, db_session=db_session)
    own = [q for q in info.requests if q.invitation_id == invitation.id]
    return {
        "stop": stop,
        "invitation": invitation,
        "requests": rows(info, own),
        "matches": suggesting.for_representative(info, invitation, own),
        "published": _published(stop),
        "agenda": published_entries(info, invitation_id=invitation.id),
        "errors": {},
    }


def meeting_context(stop: Stop, meeting_id: int, *, db_session: Session) -> dict[str, Any]:
    """One meeting of the grid with the forms that change it: move, lock or unlock, take out."""
    info = stop_data.load(stop, db_session=db_session)
    meeting = next((m for m in info.meetings.values() if m.id == meeting_id), None)
    if meeting is None:
        raise NotFound(lazy("This meeting does not exist."))
    request = next(q for q in info.requests if q.id == meeting.request_id)
    labels = slot_labels(stop)
    return {
        "stop": stop,
        "row": rows(info, [request])[0],
        "slot_choices": [(label, label) for label in labels],
        "table_choices": _table_choices(stop),
        "values": {},
        "errors": {},
    }


def _table_choices(stop: Stop) -> list[tuple[int, str]]:
    return [(t, _("Table %(table)d") % {"table": t}) for t in range(1, stop.b2b_tables + 1)]


def manage_context(stop: Stop, *, db_session: Session, info: StopData | None = None) -> dict[str, Any]:
    info = info or stop_data.load(stop, db_session=db_session)
    all_rows = rows(info, info.requests)
    labels = slot_labels(stop)
    grid: dict[tuple[int, int], RequestRow] = {}
    for row in all_rows:
        if row.meeting is not None:
            grid[(row.meeting.slot_index, row.meeting.table_number)] = row
    run = info.latest_run
    reasons = {u["request_id"]: u["reason"] for u in (run.unscheduled if run else [])}
    left_out = [
        (row, _(reasons.get(row.request.id, scheduling.NOT_RUN_YET)))
        for row in all_rows
        if row.meeting is None and info.schedulable(row.request)
    ]
    gap = None
    if run and run.upper_bound:
        gap = max(run.upper_bound - run.objective, 0) / run.upper_bound * 100
    return {
        "stop": stop,
        "requests": all_rows,
        "registration_options": sorted(
            ((r.id or 0, info.companies[r.company_id].name) for r in info.confirmed_registrations()),
            key=lambda option: option[1],
        ),
        "invitation_options": invitation_options(info),
        "priorities": _priorities(),
        "block": {
            "first_slot": stop.b2b_first_slot.strftime("%H:%M") if stop.b2b_first_slot else "",
            "slot_minutes": str(stop.b2b_slot_minutes),
            "slot_count": str(stop.b2b_slot_count or ""),
            "tables": str(stop.b2b_tables or ""),
        },
        "block_set": scheduling.block_is_set(stop),
        "slots": labels,
        "tables": list(range(1, stop.b2b_tables + 1)),
        "slot_choices": [(label, label) for label in labels],
        "table_choices": _table_choices(stop),
        "grid": grid,
        "run": run,
        "gap": gap,
        "current_objective": scheduling.stored_objective(info) if labels else None,
        "left_out": left_out,
        "pending": sum(1 for q in info.requests if q.status == RequestStatus.PENDING),
        "schedule_label": _(SCHEDULE_LABELS[PublicationStatus(stop.schedule_status)]),
        "published": _published(stop),
        "has_meetings": bool(info.meetings),
        "values": {},
        "errors": {},
    }
