"""Every email the app sends, rendered in Italian and English as the worker sends it.

Each is parsed back from its MIME bytes and read as its recipient would: a plain-text part whose
links stand on lines of their own, an HTML part that is a whole document in the recipient's
language with inline (``cid:``) images, and links that open in the app for that person.
"""

import re
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from email import message_from_bytes, policy
from email.message import EmailMessage
from html.parser import HTMLParser
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session, col, select

from app import clock
from app.accounts import service as accounts_service
from app.accounts.models import User
from app.companies import emails as company_emails
from app.companies import seats
from app.companies.models import RegistrationStatus
from app.config import ROOT, Settings, get_settings
from app.consuls import invitations
from app.consuls.models import Representative
from app.matching import expiry, publishing, request_mail, seating
from app.notifications.models import OutboxMessage
from app.notifications.service import attachments_of
from app.notifications.worker import build_email
from app.outcomes import asking as outcome_asking
from app.outcomes.models import RatingStage
from app.stops import notices
from app.stops.models import PublicationStatus, StopStatus
from tests.factories import (
    create_company,
    create_invitation,
    create_meeting,
    create_meeting_request,
    create_registration,
    create_stop,
    create_user,
    sign_in_as,
)

EMAIL_TEMPLATES = sorted(
    str(path.relative_to(ROOT / "templates")).removesuffix(".subject.txt")
    for path in (ROOT / "templates").glob("*/emails/*.subject.txt")
)
URL = re.compile(r"https?://[^\s<>\"']+")
# Informal Italian ("tu", "voi") in a message to a company or a consul; they are addressed as Lei.
INFORMAL_ITALIAN = re.compile(
    r"\b(tu|tuo|tua|tuoi|tue|ti|te|vi|voi|vostro|vostra|vostri|vostre|puoi|hai|vedi|apri|clicca|iscriviti)\b",
    re.IGNORECASE,
)


@dataclass
class Mailbag:
    """What the scenario sent, and who may sign in at each address."""

    messages: list[OutboxMessage]
    users: dict[str, User] = field(default_factory=dict)


def _company_user(db_session: Session, company: Any, language: str) -> User:
    return create_user(
        db_session,
        role="company",
        password=None,
        company_id=company.id,
        email=company.contact_email,
        language=language,
    )


def send_every_email(db_session: Session, settings: Settings, language: str) -> Mailbag:
    """A stop lived through: registrations in every state, invitations, a schedule, changes."""
    first = len(db_session.exec(select(OutboxMessage.id)).all())
    stop = create_stop(
        db_session,
        attendees_per_company=2,
        b2b_first_slot=time(14, 0),
        b2b_slot_count=4,
        b2b_tables=4,
        schedule_status=PublicationStatus.DRAFT,
    )
    other_stop = create_stop(db_session)
    company = create_company(db_session, language=language, contact_name="Giulia Bianchi")
    second = create_company(db_session, language=language)
    registration = create_registration(
        db_session, stop, company, status="confirmed", attendees=("Anna Rossi", "Luca Neri")
    )
    registration_2 = create_registration(
        db_session, stop, second, status="confirmed", attendees=("Marco Villa",)
    )
    users = {c.contact_email: _company_user(db_session, c, language) for c in (company, second)}

    # A registration's life, as companies hear of it.
    waiting = create_registration(
        db_session, other_stop, company, status="waitlisted", attendees=["Anna Rossi"], waitlist_position=1
    )
    company_emails.waitlisted(waiting, other_stop, db_session=db_session)
    token = seats.hold_seat(waiting, other_stop)
    company_emails.confirm(waiting, other_stop, token=token, db_session=db_session)
    company_emails.promoted(
        waiting, other_stop, token=seats.hold_seat(waiting, other_stop), db_session=db_session
    )
    company_emails.hold_expired(waiting, other_stop, db_session=db_session)
    waiting.status = RegistrationStatus.CONFIRMED
    company_emails.promoted(waiting, other_stop, token=None, db_session=db_session)
    company_emails.confirmed(registration, stop, db_session=db_session)
    company_emails.moved(waiting, stop, other_stop, token=None, db_session=db_session)
    company_emails.cancelled(waiting, other_stop, db_session=db_session)

    # Consuls: invited, reminded, named as delegate; then the schedule of the meetings.
    us = create_invitation(db_session, stop, country="US", status="confirmed", language=language)
    de = create_invitation(db_session, stop, country="DE", status="confirmed", language=language)
    for invitation in (us, de):
        representative = db_session.get(Representative, invitation.representative_id)
        assert representative is not None
        users[representative.email] = create_user(
            db_session,
            role="consul",
            password=None,
            representative_id=representative.id,
            email=representative.email,
            language=language,
        )
    invitations.send_invitation_email(us, db_session=db_session, settings=settings)
    invitations.send_invitation_email(
        de, db_session=db_session, settings=settings, template="consuls/emails/reminder"
    )
    delegate_of = db_session.get(Representative, us.representative_id)
    invitations.send_invitation_email(de, db_session=db_session, settings=settings, delegated_by=delegate_of)
    moving = create_meeting(
        db_session, create_meeting_request(db_session, registration, us), slot_index=0, table_number=1
    )
    create_meeting(
        db_session, create_meeting_request(db_session, registration, de), slot_index=1, table_number=2
    )
    create_meeting(
        db_session, create_meeting_request(db_session, registration_2, us), slot_index=1, table_number=1
    )
    # Requests waiting for the representative: the digest, the reminder, then the expiry.
    waiting_stop = create_stop(
        db_session,
        b2b_first_slot=time(14, 0),
        b2b_slot_count=4,
        b2b_tables=4,
        requests_close_on=date(2027, 5, 1),
        stop_date=date(2027, 5, 12),
    )
    waiting_us = create_invitation(
        db_session, waiting_stop, representative=delegate_of, status="confirmed", language=language
    )
    waiting_registration = create_registration(
        db_session, waiting_stop, company, status="confirmed", attendees=("Anna Rossi",)
    )
    create_meeting_request(db_session, waiting_registration, waiting_us, status="pending")
    closing_stop = create_stop(db_session, requests_close_on=date(2027, 4, 28))
    closing_us = create_invitation(db_session, closing_stop, country="US", status="confirmed")
    closing_registration = create_registration(
        db_session, closing_stop, company, status="confirmed", attendees=("Anna Rossi",)
    )
    create_meeting_request(db_session, closing_registration, closing_us, status="pending")
    clock.set_source(lambda: datetime(2027, 4, 28, 9, 0, tzinfo=UTC))
    try:
        expiry.expire_requests(db_session=db_session, settings=settings)
        request_mail.send_request_digests(db_session=db_session, settings=settings)
        request_mail.send_request_reminders(db_session=db_session, settings=settings)
    finally:
        clock.set_source(None)
    publishing.publish(stop, base_url=settings.base_url, db_session=db_session)
    # One meeting moves and the schedule is published again: its two people hear what changed.
    moving.slot_index = 3
    seating.mark_changed(stop, db_session=db_session)
    publishing.publish(stop, base_url=settings.base_url, db_session=db_session)

    # The stop changes; another is cancelled.
    notices.tell_about_changes(stop, {"venue": ("Ville Ponti", "Villa Recalcati")}, db_session=db_session)
    cancelled = create_stop(db_session)
    create_registration(db_session, cancelled, second, status="confirmed", attendees=["Anna Rossi"])
    cancelled.status = StopStatus.CANCELLED
    notices.tell_about_cancellation(cancelled, "Sala non disponibile", db_session=db_session)

    # After the stop each party rates its meetings, and months later says where they led.
    for stage in RatingStage:
        outcome_asking.ask_stop(stop, stage, settings=settings, db_session=db_session)

    # A company asks for a sign-in link.
    accounts_service.request_sign_in_link(company.contact_email, db_session=db_session)
    db_session.commit()
    messages = db_session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)).offset(first)).all()
    return Mailbag(messages=list(messages), users=users)


class _Document(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.doctype = ""
        self.html_lang: str | None = None
        self.charset = False
        self.title = ""
        self.image_sources: list[str] = []
        self._in_title = False

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl.lower()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "html":
            self.html_lang = values.get("lang")
        elif tag == "meta" and values.get("charset"):
            self.charset = True
        elif tag == "title":
            self._in_title = True
        elif tag == "img":
            self.image_sources.append(values.get("src") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def as_received(message: OutboxMessage, db_session: Session, settings: Settings) -> EmailMessage:
    attachments = attachments_of([message.id or 0], db_session=db_session)[message.id or 0]
    raw = build_email(message, settings, attachments).as_bytes()
    parsed = message_from_bytes(raw, policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def text_links(text: str) -> list[str]:
    return URL.findall(text)


def check_message(message: OutboxMessage, email: EmailMessage, language: str) -> list[str]:
    """What a reader would stumble on in this email; empty when it reads right."""
    where = f"{message.template} ({language})"
    problems = []
    assert email["Content-Language"] == language
    plain = email.get_body(("plain",))
    html_part = email.get_body(("html",))
    if plain is None or html_part is None:
        return [f"{where}: a plain-text and an HTML part are both needed"]
    text = plain.get_content()
    for line in text.splitlines():
        for url in text_links(line):
            if line.strip() != url:
                problems.append(f"{where}: a link shares its line: {line!r}")
    document = _Document()
    document.feed(html_part.get_content())
    if document.doctype != "doctype html":
        problems.append(f"{where}: the HTML part has no <!doctype html>")
    if document.html_lang != language:
        problems.append(f"{where}: <html lang> is {document.html_lang!r}")
    if not document.charset:
        problems.append(f"{where}: the HTML part declares no charset")
    if document.title.strip() != message.subject:
        problems.append(f"{where}: <title> {document.title!r} is not the subject")
    cids = {f"cid:{part['Content-ID'].strip('<>')}" for part in email.walk() if part["Content-ID"]}
    for source in document.image_sources:
        if not source.startswith("cid:") or source not in cids:
            problems.append(f"{where}: image {source[:40]!r} is not an attached cid: image")
    if language == "it":
        for body in (text, message.subject):
            if found := INFORMAL_ITALIAN.findall(body):
                problems.append(f"{where}: informal Italian {sorted(set(found))}")
    return problems


@pytest.mark.parametrize("language", ["it", "en"])
def test_every_email_reads_right_and_every_link_opens_for_its_recipient(
    client: TestClient, db_session: Session, settings: Settings, language: str
) -> None:
    mailbag = send_every_email(db_session, settings, language)
    sent = {message.template for message in mailbag.messages}
    assert sorted(sent) == EMAIL_TEMPLATES, "every email template is sent by the scenario"
    assert all(message.language == language for message in mailbag.messages)

    problems = []
    base = get_settings().base_url
    for message in mailbag.messages:
        email = as_received(message, db_session, settings)
        problems += check_message(message, email, language)
        plain = email.get_body(("plain",))
        assert plain is not None
        links = text_links(plain.get_content())
        client.cookies.clear()
        user = mailbag.users.get(message.to_address)
        if user is not None:
            sign_in_as(client, user)
        for url in links:
            if not url.startswith(base + "/"):
                problems.append(f"{message.template}: {url} is not under {base}")
                continue
            response = client.get(url.removeprefix(base), follow_redirects=True)
            if response.status_code >= 400:
                problems.append(f"{message.template}: {url} answers {response.status_code}")
            elif user is not None and response.url.path in ("/login", "/sign-in"):
                problems.append(f"{message.template}: {url} asks {message.to_address} to sign in")
    assert not problems, "\n".join(problems)


def test_the_schedule_emails_list_each_meeting_on_its_own_line(
    db_session: Session, settings: Settings
) -> None:
    mailbag = send_every_email(db_session, settings, "en")
    for template in ("matching/emails/schedule_company", "matching/emails/schedule_representative"):
        two = [
            m
            for m in mailbag.messages
            if m.template == template and m.body_text.count("table ") >= 2  # the one with two meetings
        ]
        assert two, template
        items = [line for line in two[0].body_text.splitlines() if line.startswith("- ")]
        assert len(items) == 2 and all("table " in item for item in items), two[0].body_text


def test_a_second_publication_tells_only_the_two_people_of_the_moved_meeting(
    db_session: Session, settings: Settings
) -> None:
    mailbag = send_every_email(db_session, settings, "en")
    changed = [m for m in mailbag.messages if m.subject.startswith("Changes to your B2B meetings")]
    assert sorted(m.template for m in changed) == [
        "matching/emails/schedule_company",
        "matching/emails/schedule_representative",
    ]
    for message in changed:
        assert "moved from 14:00 table 1 to 15:00 table 1" in message.body_text, message.body_text


def test_a_confirmed_registration_carries_each_attendee_code_as_an_inline_image(
    db_session: Session, settings: Settings
) -> None:
    mailbag = send_every_email(db_session, settings, "it")
    [message] = [m for m in mailbag.messages if m.template == "companies/emails/confirmed"]
    email = as_received(message, db_session, settings)
    related = [part for part in email.walk() if part.get_content_type() == "multipart/related"]
    images = [part for part in email.walk() if part.get_content_type() == "image/png"]
    assert len(related) == 1 and len(images) == 2
    assert all(part.get_content_disposition() == "inline" for part in images)
    assert "data:" not in message.body_html


def test_links_follow_the_port_the_app_is_served_on(
    monkeypatch: pytest.MonkeyPatch, db_session: Session, settings: Settings
) -> None:
    monkeypatch.delenv("ROADSHOW_BASE_URL", raising=False)
    monkeypatch.setenv("PORT", "8765")
    get_settings.cache_clear()
    try:
        assert Settings(_env_file=None).base_url == "http://127.0.0.1:8765"
        mailbag = send_every_email(db_session, Settings(_env_file=None), "it")
        links = [url for m in mailbag.messages for url in text_links(m.body_text)]
        assert links and all(url.startswith("http://127.0.0.1:8765/") for url in links), links
    finally:
        get_settings.cache_clear()


def test_a_production_base_url_wins_over_the_port(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "8765")
    monkeypatch.setenv("ROADSHOW_BASE_URL", "https://roadshow.example.org/")
    settings = Settings(_env_file=None)
    assert settings.base_url == "https://roadshow.example.org"
    assert settings.absolute_url("/stops/3") == "https://roadshow.example.org/stops/3"


def test_roadshow_serve_tells_the_app_its_port(monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from app.cli import cli

    seen: dict[str, str] = {}
    monkeypatch.delenv("ROADSHOW_BASE_URL", raising=False)
    monkeypatch.delenv("PORT", raising=False)
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: seen.update(base_url=get_settings().base_url))
    try:
        result = CliRunner().invoke(cli, ["serve", "--port", "8766"])
        assert result.exit_code == 0, result.output
        assert seen == {"base_url": "http://127.0.0.1:8766"}
    finally:
        monkeypatch.delenv("PORT", raising=False)
        get_settings.cache_clear()
