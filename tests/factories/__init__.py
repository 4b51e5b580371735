"""One factory per kind of row, with defaults, so that a test states only what matters.

Each factory flushes (never commits) and returns the row it made; keyword overrides set its
columns. A richer variant is a parameter of the one factory: ``create_registration(status=...)``
writes the row directly instead of going through the seats, ``create_user(role="company")`` comes
with its company, ``create_invitation(stop)`` with a new representative.
"""

from tests.factories.accounts import create_user
from tests.factories.agenda import create_agenda_item, create_agenda_speaker
from tests.factories.companies import attendees_of, create_company, create_registration, vat_number
from tests.factories.consuls import (
    create_consulate,
    create_invitation,
    create_representative,
    only_representatives_of,
)
from tests.factories.matching import create_meeting, create_meeting_request
from tests.factories.sequence import PASSWORD
from tests.factories.stops import create_stop
from tests.factories.web import csrf_token, organiser_token, outbox, sign_in_as

__all__ = [
    "PASSWORD",
    "attendees_of",
    "create_agenda_item",
    "create_agenda_speaker",
    "create_company",
    "create_consulate",
    "create_invitation",
    "create_meeting",
    "create_meeting_request",
    "create_registration",
    "create_representative",
    "create_stop",
    "create_user",
    "csrf_token",
    "only_representatives_of",
    "organiser_token",
    "outbox",
    "sign_in_as",
    "vat_number",
]
