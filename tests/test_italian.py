"""Italian pages and exports never show a code: every enum value and sector slug reads as a word.

The main pages are rendered in Italian with data in every status (registrations, invitations,
meeting requests, companies of every size), and their visible text (tags stripped, attribute
values and URLs ignored) must not contain any of the app's enum values or sector slugs.
"""

import csv
import io
import re
from datetime import time
from enum import StrEnum
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts.models import Role
from app.agenda.models import AgendaItemKind
from app.companies.models import RegistrationStatus, SizeClass
from app.consuls.models import ConsulateKind, InvitationStatus
from app.labels import LABELS, label
from app.matching.models import MeetingAttendance, RequestPriority, RequestStatus
from app.notifications.models import OutboxStatus
from app.outcomes.models import FollowUpOutcome, Interest, Party, RatingStage
from app.planning.models import ScenarioStatus
from app.reference.country_names import italian_name
from app.reference.models import Sector
from app.stops.models import PublicationStatus, StopStatus
from tests.factories import (
    create_company,
    create_invitation,
    create_meeting_request,
    create_registration,
    create_stop,
    create_user,
    sign_in_as,
)

ENUMS: list[type[StrEnum]] = [
    RegistrationStatus,
    SizeClass,
    InvitationStatus,
    ConsulateKind,
    StopStatus,
    PublicationStatus,
    RequestStatus,
    RequestPriority,
    AgendaItemKind,
    Role,
    OutboxStatus,
    ScenarioStatus,
    MeetingAttendance,
    Party,
    RatingStage,
    Interest,
    FollowUpOutcome,
]


class _VisibleText(HTMLParser):
    """The text a person reads: no tags, no attributes, nothing inside script or style."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _VisibleText()
    parser.feed(html)
    text = " ".join(parser.parts)
    return re.sub(r"\S*(?:https?://|@|/)\S*", " ", text)  # URLs, paths and email addresses


def codes(db_session: Session) -> set[str]:
    """Every enum value and sector slug that is (or contains) a lowercase English word."""
    values = {member.value for enum in ENUMS for member in enum if member.value != "none"}
    values |= {sector.slug for sector in db_session.exec(select(Sector))}
    return {value for value in values if re.fullmatch(r"[a-z][a-z_]+", value)}


def raw_codes(text: str, known: set[str]) -> set[str]:
    words = set(re.findall(r"(?<![\w-])[a-z][a-z_]+(?![\w-])", text))
    return words & known


def test_every_enum_value_has_a_label() -> None:
    kinds = {
        RegistrationStatus: "registration",
        SizeClass: "size",
        InvitationStatus: "invitation",
        ConsulateKind: "consulate",
        StopStatus: "stop",
        PublicationStatus: "publication",
        RequestStatus: "request",
        RequestPriority: "priority",
        AgendaItemKind: "agenda_item",
        Role: "role",
        OutboxStatus: "outbox",
        ScenarioStatus: "scenario",
        MeetingAttendance: "attendance",
        Party: "party",
        RatingStage: "rating_stage",
        Interest: "interest",
        FollowUpOutcome: "follow_up",
    }
    assert set(kinds) == set(ENUMS)
    missing = [
        f"{enum.__name__}.{m.name}" for enum, kind in kinds.items() for m in enum if m not in LABELS[kind]
    ]
    assert not missing, "add these to app/labels.py: " + ", ".join(missing)


def test_labels_agree_with_what_they_describe_in_italian() -> None:
    assert label(RegistrationStatus.CONFIRMED, "registration") == "Confermata"
    assert label(InvitationStatus.CONFIRMED, "invitation") == "Confermato"
    assert label("waitlisted", "registration") == "Lista d'attesa"
    assert label(SizeClass.MICRO, "size") == "Microimpresa"
    assert label(None, "size") == ""


@pytest.mark.parametrize(
    ("code", "name", "plain", "of", "in_"),
    [
        ("US", "Stati Uniti", "gli Stati Uniti", "degli Stati Uniti", "negli Stati Uniti"),
        ("DE", "Germania", "la Germania", "della Germania", "in Germania"),
        ("IN", "India", "l'India", "dell'India", "in India"),
        ("AE", "Emirati Arabi Uniti", "gli Emirati Arabi Uniti", "degli Emirati Arabi Uniti", None),
        ("FR", "Francia", "la Francia", "della Francia", "in Francia"),
        ("CA", "Canada", "il Canada", "del Canada", "in Canada"),
        ("BR", "Brasile", "il Brasile", "del Brasile", "in Brasile"),
        ("ES", "Spagna", "la Spagna", "della Spagna", None),
        ("CN", "Cina", "la Cina", "della Cina", None),
        ("SA", "Arabia Saudita", "l'Arabia Saudita", "dell'Arabia Saudita", None),
        ("GB", "Regno Unito", "il Regno Unito", "del Regno Unito", "nel Regno Unito"),
        ("XX", "Svizzera", "la Svizzera", "della Svizzera", "in Svizzera"),
        ("XX", "Egitto", "l'Egitto", "dell'Egitto", None),
        ("XX", "Marocco", "il Marocco", "del Marocco", None),
        ("XX", "Paesi Bassi", "i Paesi Bassi", "dei Paesi Bassi", "nei Paesi Bassi"),
        ("IL", "Israele", "Israele", "di Israele", "in Israele"),
    ],
)
def test_country_names_take_their_article_and_preposition(
    code: str, name: str, plain: str, of: str, in_: str | None
) -> None:
    assert italian_name(code, name) == plain
    assert italian_name(code, name, "di") == of
    if in_:
        assert italian_name(code, name, "in") == in_


def _roadshow_in_every_status(db_session: Session) -> dict[str, object]:
    stop = create_stop(
        db_session,
        countries=("US", "DE", "FR"),
        b2b_first_slot=time(14, 0),
        b2b_slot_minutes=20,
        b2b_slot_count=4,
        b2b_tables=2,
    )
    registrations = {}
    for status, size in zip(RegistrationStatus, [*SizeClass, SizeClass.SMALL], strict=True):
        registration = create_registration(
            db_session,
            stop,
            create_company(db_session, size_class=size, sectors=("mechanics", "aerospace")),
            status=status.value,
        )
        if status == RegistrationStatus.WAITLISTED:
            registration.waitlist_position = 1
        registrations[status] = registration
    invitations = {
        status: create_invitation(db_session, stop, country=country, status=status.value)
        for status, country in zip(InvitationStatus, ["US", "DE", "FR", "US", "DE"], strict=True)
    }
    confirmed = registrations[RegistrationStatus.CONFIRMED]
    for status, priority in zip(RequestStatus, [*RequestPriority, RequestPriority.LOW], strict=True):
        create_meeting_request(
            db_session,
            confirmed,
            create_invitation(db_session, stop, country="US", status="confirmed"),
            priority=priority.value,
            status=status.value,
        )
    db_session.flush()
    return {"stop": stop, "confirmed": confirmed, "invitation": invitations[InvitationStatus.CONFIRMED]}


def test_no_code_on_italian_pages_and_exports(client: TestClient, db_session: Session) -> None:
    data = _roadshow_in_every_status(db_session)
    stop = data["stop"]
    stop_id = stop.id  # type: ignore[attr-defined]
    company = create_user(db_session, role="company", company_id=data["confirmed"].company_id)
    consul = create_user(db_session, role="consul", representative_id=data["invitation"].representative_id)
    organiser = create_user(db_session, role="admin")
    db_session.commit()
    known = codes(db_session)
    assert {"waitlisted", "micro", "mechanics", "pending"} <= known
    client.cookies.set("roadshow_lang", "it")
    found: dict[str, set[str]] = {}

    def check(path: str) -> None:
        response = client.get(path)
        assert response.status_code == 200, path
        if path.endswith((".csv", ".xlsx")):
            text = response.content.decode("utf-8-sig") if path.endswith(".csv") else ""
            cells = " ".join(" ".join(row) for row in csv.reader(io.StringIO(text)))
            leaked = raw_codes(visible_text(cells), known)
        else:
            leaked = raw_codes(visible_text(response.text), known)
        if leaked:
            found[path] = leaked

    sign_in_as(client, organiser)
    for path in [
        "/manage",
        "/manage/stops",
        f"/manage/stops/{stop_id}",
        f"/manage/stops/{stop_id}/registrations",
        f"/manage/stops/{stop_id}/registrations.csv",
        f"/manage/stops/{stop_id}/consuls",
        f"/manage/stops/{stop_id}/meetings",
        f"/manage/stops/{stop_id}/agenda",
        f"/manage/stops/{stop_id}/checkin",
        "/manage/consuls",
        "/manage/outbox",
        "/manage/results",
        "/manage/results/companies-by-size.csv",
        "/manage/results/companies-by-sector.csv",
        "/manage/audit",
    ]:
        check(path)
    sign_in_as(client, company)
    for path in ["/my", f"/my/stops/{stop_id}/meetings", f"/my/stops/{stop_id}/agenda"]:
        check(path)
    sign_in_as(client, consul)
    for path in ["/consul", f"/consul/stops/{stop_id}/requests", f"/consul/stops/{stop_id}/agenda"]:
        check(path)
    assert not found, f"codes shown as text on Italian pages: {found}"


def test_a_waiting_company_that_confirms_its_address_is_told_it_is_waiting(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session)
    waiting = create_registration(db_session, stop, status="waitlisted")
    waiting.waitlist_position = 1
    user = create_user(db_session, role="company", company_id=waiting.company_id)
    db_session.commit()
    sign_in_as(client, user)
    client.cookies.set("roadshow_lang", "it")
    page = visible_text(client.get(f"/my?confirmed={waiting.id}").text)
    assert "Indirizzo confermato: l'iscrizione è in lista d'attesa, in posizione 1." in page
    assert "iscrizione è confermata" not in page


CATALOGUES = Path(__file__).resolve().parents[1] / "app" / "locale" / "it" / "LC_MESSAGES"
# "Lei" and its possessives within a sentence (docs/italian.md: lowercase, never "la Sua").
CAPITALISED_COURTESY = re.compile(r"(?<![.!?:]\s)(?<!^)\b(?:Lei|Suo|Sua|Suoi|Sue)\b")


def test_italian_courtesy_pronouns_and_possessives_are_lowercase() -> None:
    found = []
    for po_file in sorted(CATALOGUES.glob("*.po")):
        with po_file.open("rb") as handle:
            for message in read_po(handle):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                found += [f"{po_file.name}: {s}" for s in strings if s and CAPITALISED_COURTESY.search(s)]
    assert not found, "\n".join(found)
