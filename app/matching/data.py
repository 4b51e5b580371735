"""Everything about a stop's B2B meetings, read in a fixed number of queries.

Requests, scheduling and publishing all look at the same rows (requests, registrations,
companies with their sectors and markets, invitations, representatives, meetings); loading
them once per operation keeps each page to a handful of queries whatever the number of companies.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import literal, union_all
from sqlmodel import Session, col, select

from app.companies.models import Company, CompanyMarket, CompanySector, Registration, RegistrationStatus
from app.consuls.models import Consulate, Invitation, InvitationStatus, Representative
from app.matching.models import Meeting, MeetingRequest, RequestPriority, RequestStatus, ScheduleRun
from app.reference import service as reference_service
from app.reference.models import Country, Sector, Territory
from app.stops.models import Stop

PRIORITY_WEIGHT = {RequestPriority.HIGH: 3, RequestPriority.MEDIUM: 2, RequestPriority.LOW: 1}
# Added to a request's weight when the representative listed one of the company's sectors
# among their interests: a meeting both sides want should win over one only one side wants.
MUTUAL_INTEREST_BONUS = 2
MAX_WEIGHT = 10


@dataclass
class StopData:
    stop: Stop
    requests: list[MeetingRequest]
    registrations: dict[int, Registration]
    companies: dict[int, Company]
    company_sectors: dict[int, list[str]]
    company_markets: dict[int, list[str]]
    invitations: dict[int, Invitation]
    representatives: dict[int, Representative]
    consulates: dict[int, Consulate]
    countries: dict[str, Country]
    sectors: dict[str, Sector]
    territories: dict[str, Territory]
    interest: dict[str, dict[str, int]]  # the survey's, by sector slug then country code
    meetings: dict[int, Meeting] = field(default_factory=dict)  # by request id
    latest_run: ScheduleRun | None = None

    def request(self, request_id: int) -> MeetingRequest | None:
        return next((q for q in self.requests if q.id == request_id), None)

    def company_of(self, request: MeetingRequest) -> Company:
        return self.companies[self.registrations[request.registration_id].company_id]

    def representative_of(self, invitation: Invitation) -> Representative:
        return self.representatives[invitation.representative_id]

    def schedulable(self, request: MeetingRequest) -> bool:
        """Accepted, between a confirmed company and a representative who confirmed."""
        registration = self.registrations[request.registration_id]
        invitation = self.invitations[request.invitation_id]
        return (
            request.status == RequestStatus.ACCEPTED
            and registration.status == RegistrationStatus.CONFIRMED
            and invitation.status == InvitationStatus.CONFIRMED
        )

    def mutual_interest(self, request: MeetingRequest) -> bool:
        invitation = self.invitations[request.invitation_id]
        sectors = self.company_sectors.get(self.registrations[request.registration_id].company_id, [])
        return any(slug in invitation.sector_interests for slug in sectors)

    def weight(self, request: MeetingRequest, *, mutual: bool | None = None) -> int:
        """The request's weight; ``mutual`` is its mutual interest when the caller has it already."""
        weight = PRIORITY_WEIGHT[RequestPriority(request.priority)]
        if self.mutual_interest(request) if mutual is None else mutual:
            weight += MUTUAL_INTEREST_BONUS
        return min(weight, MAX_WEIGHT)

    def confirmed_invitations(self) -> list[Invitation]:
        return [i for i in self.invitations.values() if i.status == InvitationStatus.CONFIRMED]

    def confirmed_registrations(self) -> list[Registration]:
        return [r for r in self.registrations.values() if r.status == RegistrationStatus.CONFIRMED]


def load(stop: Stop, *, db_session: Session) -> StopData:
    """The whole stop, in five statements: requests with their meetings, registrations with
    their companies, the companies' sectors and markets, the people invited, the latest run."""
    stop_id = stop.id
    found: Any = (
        select(MeetingRequest, Meeting)
        .outerjoin(
            Meeting, (col(Meeting.request_id) == MeetingRequest.id) & (col(Meeting.stop_id) == stop_id)
        )
        .where(MeetingRequest.stop_id == stop_id)
        .order_by(col(MeetingRequest.id))
    )
    requests, meetings = [], {}
    for request, meeting in db_session.exec(found):
        requests.append(request)
        if meeting is not None:
            meetings[meeting.request_id] = meeting
    registrations, companies = {}, {}
    for registration, company in db_session.exec(
        select(Registration, Company)
        .join(Company, col(Company.id) == Registration.company_id)
        .where(Registration.stop_id == stop_id)
    ):
        registrations[registration.id or 0] = registration
        companies[company.id or 0] = company
    # A subquery, not a list of ids: the statement's text is the same whatever the stop's size.
    stop_companies = select(Registration.company_id).where(Registration.stop_id == stop_id)
    company_sectors, company_markets = _declared(stop_companies, db_session=db_session)
    invitations, representatives, consulates = _people(stop_id, db_session=db_session)
    return _with_reference(
        stop,
        requests=requests,
        registrations=registrations,
        companies=companies,
        company_sectors=company_sectors,
        company_markets=company_markets,
        invitations=invitations,
        representatives=representatives,
        consulates=consulates,
        meetings=meetings,
        db_session=db_session,
    )


def _people(
    stop_id: int | None, *, db_session: Session
) -> tuple[dict[int, Invitation], dict[int, Representative], dict[int, Consulate]]:
    """Every invitation of the stop with its representative and consulate, in one statement."""
    invitations, representatives, consulates = {}, {}, {}
    people: Any = (
        select(Invitation, Representative, Consulate)
        .join(Representative, col(Representative.id) == Invitation.representative_id)
        .join(Consulate, col(Consulate.id) == Representative.consulate_id)
        .where(Invitation.stop_id == stop_id)
        .order_by(col(Invitation.id))
    )
    for invitation, representative, consulate in db_session.exec(people):
        invitations[invitation.id or 0] = invitation
        representatives[representative.id or 0] = representative
        consulates[consulate.id or 0] = consulate
    return invitations, representatives, consulates


def load_personal(
    stop: Stop, *, registration_id: int | None = None, invitation_id: int | None = None, db_session: Session
) -> StopData:
    """What one company's (``registration_id``) or one representative's (``invitation_id``) B2B
    page shows, in four statements whatever the size of the stop: their own requests with the
    registrations, companies and meetings behind them; every invitation of the stop with its
    representative and consulate (the company chooses among them); the sectors and markets of
    the companies in play; the latest scheduler run (why a request was left out). Everything else of the stop
    (other companies' requests and meetings) is left out, so only pages about that one person
    may use it."""
    stop_id = stop.id
    own: Any = (
        select(MeetingRequest, Registration, Company, Meeting)
        .join(Registration, col(Registration.id) == MeetingRequest.registration_id)
        .join(Company, col(Company.id) == Registration.company_id)
        .outerjoin(Meeting, col(Meeting.request_id) == MeetingRequest.id)
        .where(MeetingRequest.stop_id == stop_id)
    )
    if registration_id is not None:
        own = own.where(MeetingRequest.registration_id == registration_id)
    if invitation_id is not None:
        own = own.where(MeetingRequest.invitation_id == invitation_id)
    found = list(db_session.exec(own.order_by(col(MeetingRequest.id))).all())
    requests = [q for q, _r, _c, _m in found]
    registrations = {r.id or 0: r for _q, r, _c, _m in found}
    companies = {c.id or 0: c for _q, _r, c, _m in found}
    meetings = {m.request_id: m for _q, _r, _c, m in found if m is not None}
    in_play: Any = (
        select(Registration.company_id).where(Registration.id == registration_id)
        if registration_id is not None
        else select(Registration.company_id)
        .join(MeetingRequest, col(MeetingRequest.registration_id) == Registration.id)
        .where(MeetingRequest.stop_id == stop_id, MeetingRequest.invitation_id == invitation_id)
    )
    company_sectors, company_markets = _declared(in_play, db_session=db_session)
    invitations, representatives, consulates = _people(stop_id, db_session=db_session)
    return _with_reference(
        stop,
        requests=requests,
        registrations=registrations,
        companies=companies,
        company_sectors=company_sectors,
        company_markets=company_markets,
        invitations=invitations,
        representatives=representatives,
        consulates=consulates,
        meetings=meetings,
        db_session=db_session,
    )


def _declared(company_ids: Any, *, db_session: Session) -> tuple[dict[int, list[str]], dict[int, list[str]]]:
    """The sectors (by slug) and target markets (by country code) of the companies, ids or a
    subquery of them: one statement, as the two lists are always wanted together."""
    sectors: Any = select(
        col(CompanySector.company_id),
        literal("sector").label("kind"),
        col(CompanySector.sector_slug).label("code"),
    ).where(col(CompanySector.company_id).in_(company_ids))
    markets: Any = select(
        col(CompanyMarket.company_id),
        literal("market").label("kind"),
        col(CompanyMarket.country_code).label("code"),
    ).where(col(CompanyMarket.company_id).in_(company_ids))
    found: dict[str, dict[int, list[str]]] = {"sector": defaultdict(list), "market": defaultdict(list)}
    for company_id, kind, code in db_session.execute(union_all(sectors, markets).order_by("code")):
        found[kind][company_id].append(code)
    return dict(found["sector"]), dict(found["market"])


def _with_reference(stop: Stop, *, db_session: Session, **rows: Any) -> StopData:
    """The rows read, with the stop's latest scheduler run and the reference data: the
    per-process copy (one token query at most), not three reads of their own."""
    latest_run = db_session.exec(
        select(ScheduleRun).where(ScheduleRun.stop_id == stop.id).order_by(col(ScheduleRun.id).desc())
    ).first()
    known = reference_service.cached(db_session=db_session)
    return StopData(
        stop=stop,
        countries=dict(known.countries_by_code),
        sectors=dict(known.sectors_by_slug),
        territories=dict(known.territories_by_code),
        interest=known.interest,
        latest_run=latest_run,
        **rows,
    )
