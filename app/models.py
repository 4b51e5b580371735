"""Every table model, imported once so that the metadata (and Alembic) knows them all."""

from app.accounts.models import RateLimitCounter, SignInToken, User
from app.agenda.models import AgendaItem, AgendaSpeaker
from app.audit.models import AuditEvent
from app.companies.models import (
    Attendee,
    Company,
    CompanyMarket,
    CompanySector,
    Registration,
    RegistrationCountry,
)
from app.consuls.models import Consulate, Invitation, Representative
from app.freshness.models import PublicVersion
from app.jobs.models import Job
from app.matching.models import Meeting, MeetingRequest, PublishedAgenda, ScheduleRun
from app.notifications.models import OutboxAttachment, OutboxMessage
from app.outcomes.models import MeetingRating
from app.planning.models import PlanningScenario
from app.reference.models import Country, Sector, SectorInterest, Territory, TerritorySector
from app.stops.models import Stop, StopCountry

__all__ = [
    "AgendaItem",
    "AgendaSpeaker",
    "Attendee",
    "AuditEvent",
    "Company",
    "CompanyMarket",
    "CompanySector",
    "Consulate",
    "Country",
    "Invitation",
    "Job",
    "Meeting",
    "MeetingRating",
    "MeetingRequest",
    "OutboxAttachment",
    "OutboxMessage",
    "PlanningScenario",
    "PublicVersion",
    "PublishedAgenda",
    "RateLimitCounter",
    "Registration",
    "RegistrationCountry",
    "Representative",
    "ScheduleRun",
    "Sector",
    "SectorInterest",
    "SignInToken",
    "Stop",
    "StopCountry",
    "Territory",
    "TerritorySector",
    "User",
]
