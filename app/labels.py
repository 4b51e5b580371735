"""The one place that says how each enum value and code reads to a person, in either language.

Pages call ``label(value, kind)`` (a Jinja global) and exports call it too, so that no page or
file shows ``waitlisted`` or ``micro``. The same English word can need two Italian words
("Confirmed" is "Confermata" for a registration and "Confermato" for an invitation), hence the
kinds and the message contexts.
"""

from app.accounts.models import Role
from app.agenda.models import AgendaItemKind
from app.companies.models import RegistrationStatus, SizeClass
from app.consuls.models import ConsulateKind, InvitationStatus
from app.i18n import gettext, lazy, lazy_p, pgettext
from app.matching.models import MeetingAttendance, RequestPriority, RequestStatus
from app.notifications.models import OutboxStatus
from app.outcomes.models import FollowUpOutcome, Interest, Party, RatingStage
from app.planning.models import ScenarioStatus
from app.stops.models import PublicationStatus, StopStatus

# A message, or (context, message) where Italian needs the context to agree in gender.
Message = str | tuple[str, str]


LABELS: dict[str, dict[str, Message]] = {
    "registration": {
        RegistrationStatus.PENDING: lazy("Waiting for email confirmation"),
        RegistrationStatus.CONFIRMED: ("registration", lazy_p("registration", "Confirmed")),
        RegistrationStatus.WAITLISTED: lazy("Waiting list"),
        RegistrationStatus.CANCELLED: ("registration", lazy_p("registration", "Cancelled")),
        RegistrationStatus.EXPIRED: lazy("Lapsed"),
    },
    "size": {
        SizeClass.MICRO: lazy("Micro enterprise"),
        SizeClass.SMALL: lazy("Small enterprise"),
        SizeClass.MEDIUM: lazy("Medium-sized enterprise"),
        SizeClass.LARGE: lazy("Large enterprise"),
    },
    "invitation": {
        InvitationStatus.INVITED: ("invitation", lazy_p("invitation", "Invited")),
        InvitationStatus.OPENED: ("invitation", lazy_p("invitation", "Opened")),
        InvitationStatus.CONFIRMED: ("invitation", lazy_p("invitation", "Confirmed")),
        InvitationStatus.DECLINED: ("invitation", lazy_p("invitation", "Declined")),
        InvitationStatus.DELEGATED: ("invitation", lazy_p("invitation", "Delegated")),
        "no_answer": ("invitation", lazy_p("invitation", "No answer")),
    },
    "stop": {
        StopStatus.DRAFT: lazy("Draft"),
        StopStatus.PUBLISHED: lazy("Published"),
        StopStatus.CLOSED: lazy("Registrations closed"),
        StopStatus.CANCELLED: lazy("Cancelled"),
    },
    # A stop's agenda ("il programma") or meeting schedule ("il calendario"): masculine.
    "publication": {
        PublicationStatus.NONE: lazy("not started"),
        PublicationStatus.DRAFT: lazy("in draft"),
        PublicationStatus.PUBLISHED: lazy("published"),
    },
    "request": {
        RequestStatus.PENDING: lazy("Waiting for an answer"),
        RequestStatus.ACCEPTED: lazy("Accepted"),
        RequestStatus.DECLINED: lazy("Declined"),
        RequestStatus.EXPIRED: ("request", lazy_p("request", "Expired")),
    },
    "priority": {
        RequestPriority.HIGH: lazy("High"),
        RequestPriority.MEDIUM: lazy("Medium"),
        RequestPriority.LOW: lazy("Low"),
    },
    "attendance": {
        MeetingAttendance.HELD: ("meeting", lazy_p("meeting", "Held")),
        MeetingAttendance.COMPANY_ABSENT: lazy("Company absent"),
        MeetingAttendance.REPRESENTATIVE_ABSENT: lazy("Representative absent"),
    },
    "party": {
        Party.COMPANY: ("party", lazy_p("party", "Company")),
        Party.REPRESENTATIVE: ("party", lazy_p("party", "Representative")),
    },
    "rating_stage": {
        RatingStage.AFTER_STOP: lazy("After the stop"),
        RatingStage.FOLLOW_UP: lazy("Follow-up"),
    },
    "interest": {
        Interest.NO_INTEREST: lazy("No interest"),
        Interest.INFORMATIVE: lazy("Informative"),
        Interest.COOPERATION_POSSIBLE: lazy("Cooperation possible"),
    },
    "follow_up": {
        FollowUpOutcome.NO_FURTHER_CONTACT: lazy("No further contact"),
        FollowUpOutcome.IN_CONTACT: lazy("In contact"),
        FollowUpOutcome.NEGOTIATION_STARTED: lazy("Negotiation started"),
        FollowUpOutcome.AGREEMENT_REACHED: lazy("Agreement reached"),
    },
    "agenda_item": {
        AgendaItemKind.WELCOME: lazy("Welcome and institutional greetings"),
        AgendaItemKind.KEYNOTE: lazy("Keynote"),
        AgendaItemKind.COUNTRY_PRESENTATION: lazy("Country presentation"),
        AgendaItemKind.PANEL: lazy("Panel"),
        AgendaItemKind.B2B_BLOCK: lazy("B2B meetings block"),
        AgendaItemKind.NETWORKING_LUNCH: lazy("Networking lunch"),
        AgendaItemKind.CLOSING: lazy("Closing"),
    },
    "consulate": {
        ConsulateKind.CONSULATE_GENERAL: lazy("Consulate general"),
        ConsulateKind.CONSULATE: lazy("Consulate"),
        ConsulateKind.HONORARY_CONSULATE: lazy("Honorary consulate"),
        ConsulateKind.TRADE_OFFICE: lazy("Trade office"),
    },
    "role": {
        Role.ADMIN: lazy("Administrator"),
        Role.ORGANISER: lazy("Organiser"),
        Role.COMPANY: ("role", lazy_p("role", "Company")),
        Role.CONSUL: ("role", lazy_p("role", "Consular representative")),
    },
    "outbox": {
        OutboxStatus.QUEUED: ("email", lazy_p("email", "Queued")),
        OutboxStatus.SENT: ("email", lazy_p("email", "Sent")),
        OutboxStatus.LOGGED: ("email", lazy_p("email", "Logged, not sent")),
        OutboxStatus.FAILED: ("email", lazy_p("email", "Failed")),
    },
    "scenario": {
        ScenarioStatus.PLANNING: ("scenario", lazy_p("scenario", "Planning")),
        ScenarioStatus.PLANNED: ("scenario", lazy_p("scenario", "Planned")),
        ScenarioStatus.INFEASIBLE: ("scenario", lazy_p("scenario", "Infeasible")),
        ScenarioStatus.NO_PLAN: ("scenario", lazy_p("scenario", "No plan found")),
        ScenarioStatus.ACCEPTED: ("scenario", lazy_p("scenario", "Accepted")),
    },
    # What an audit event is about (``AuditEvent.entity_type``).
    "entity": {
        "agenda": lazy("Agenda"),
        "agenda_item": lazy("Agenda item"),
        "attendee": lazy("Attendee"),
        "consular_corps": lazy("Consular corps"),
        "consulate": lazy("Consular representation"),
        "meeting": lazy("B2B meeting"),
        "planning_scenario": lazy("Planning scenario"),
        "registration": lazy("Registration"),
        "representative": lazy("Representative"),
        "sector": lazy("Sector"),
        "sector_interest": lazy("Sector interest"),
        "stop": lazy("Stop"),
        "territory": lazy("Territory"),
        "user": lazy("User"),
    },
    # What an audit event did: the verb of ``AuditEvent.action`` ("registration.cancel" -> "cancel").
    "action": {
        "accept": ("audit", lazy_p("audit", "Acceptance")),
        "activate": ("audit", lazy_p("audit", "Activation")),
        "attendance": ("audit", lazy_p("audit", "Attendance")),
        "cancel": ("audit", lazy_p("audit", "Cancellation")),
        "capacity": ("audit", lazy_p("audit", "Capacity change")),
        "check_in": ("audit", lazy_p("audit", "Check-in")),
        "copy": ("audit", lazy_p("audit", "Copy")),
        "create": ("audit", lazy_p("audit", "Creation")),
        "deactivate": ("audit", lazy_p("audit", "Deactivation")),
        "delete": ("audit", lazy_p("audit", "Deletion")),
        "duplicate": ("audit", lazy_p("audit", "Duplication")),
        "import": ("audit", lazy_p("audit", "Import")),
        "invite": ("audit", lazy_p("audit", "Invitation")),
        "move": ("audit", lazy_p("audit", "Move to another stop")),
        "publish": ("audit", lazy_p("audit", "Publication")),
        "restore": ("audit", lazy_p("audit", "Restoration")),
        "status": ("audit", lazy_p("audit", "Status change")),
        "undo_check_in": ("audit", lazy_p("audit", "Check-in undone")),
        "unpublish": ("audit", lazy_p("audit", "Back to draft")),
        "update": ("audit", lazy_p("audit", "Change")),
    },
}


def audit_action(action: str) -> str:
    """An audit action such as "agenda_item.delete", named by its verb and, if any, its object."""
    entity, _, verb = action.rpartition(".")
    named = label(verb, "action")
    return f"{named}: {label(entity, 'entity').lower()}" if entity else named


def label(value: object, kind: str) -> str:
    """``value`` (an enum member or its stored string) as a person reads it; "" for no value.

    An unknown value is shown as it is rather than hidden, so that a new code is noticed."""
    if value is None or value == "":
        return ""
    key = value.value if hasattr(value, "value") else str(value)
    message = LABELS[kind].get(key)
    if message is None:
        return key
    if isinstance(message, tuple):
        return pgettext(*message)
    return gettext(message)


def options(kind: str) -> list[tuple[str, str]]:
    """(value, label) pairs for a select, in the table's order."""
    return [(str(value), label(value, kind)) for value in LABELS[kind]]
