"""Every form, sent back with errors, lists them at the top with links to the fields, and each
field in error says so (aria-invalid) and points at its message (aria-describedby).

Each case opens the form as its user would, keeps the fields the page offers, puts an invalid
or empty value in some of them, submits, and reads the page that comes back.
"""

import re
from collections.abc import Callable
from datetime import time
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.consuls import links
from app.consuls.models import Representative
from app.web import environment
from tests.factories import (
    create_company,
    create_consulate,
    create_invitation,
    create_registration,
    create_representative,
    create_stop,
    create_user,
    csrf_token,
    sign_in_as,
)
from tests.hardening.forms import filled, form_fields

# (page, action, values): the form on `page` posting to `action`, with `values` typed in.
Submission = tuple[str, str, dict[str, str | list[str]]]
Setup = Callable[[TestClient, Session], Submission]


class Elements(HTMLParser):
    """Every element's tag and attributes, in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))


def assert_errors_are_linked(html: str) -> None:
    reader = Elements()
    reader.feed(html)
    elements = reader.elements
    ids = [attrs["id"] for _, attrs in elements if "id" in attrs]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    summary = re.search(r'<div class="alert alert-error error-summary"([^>]*)>(.*?)</div>', html, re.S)
    assert summary, "no error summary"
    assert 'role="alert"' in summary.group(1) and 'tabindex="-1"' in summary.group(1)
    targets = re.findall(r'href="#([^"]+)"', summary.group(2))
    assert targets, "the summary links to no field"
    for target in targets:
        assert target in ids, f"the summary links to #{target}, which is not on the page"
    messages = [
        a["id"] for _, a in elements if a.get("class") == "error" and a.get("id", "").endswith("-error")
    ]
    assert messages, "no message next to a field"
    for message in messages:
        described = [(tag, a) for tag, a in elements if message in a.get("aria-describedby", "").split()]
        assert described, f"nothing points at #{message}"
        for tag, attrs in described:
            if tag in ("input", "select", "textarea"):
                assert attrs.get("aria-invalid") == "true", (message, attrs)


def organiser(client: TestClient, db_session: Session, role: str = "organiser") -> None:
    sign_in_as(client, create_user(db_session, role=role))


def registration(client: TestClient, db_session: Session) -> Submission:
    stop = create_stop(db_session)
    path = f"/stops/{stop.id}/register"
    return path, path, {"vat_number": "123", "contact_email": "nobody", "privacy": ""}


def company_profile(client: TestClient, db_session: Session) -> Submission:
    entry = create_registration(
        db_session, create_stop(db_session), create_company(db_session), status="confirmed"
    )
    sign_in_as(client, create_user(db_session, role="company", company_id=entry.company_id))
    return "/my/company", "/my/company", {"vat_number": "1", "export_share": "140"}


def registration_by_organiser(client: TestClient, db_session: Session) -> Submission:
    organiser(client, db_session)
    path = f"/manage/stops/{create_stop(db_session).id}/registrations/new"
    return path, path, {"vat_number": "1"}


def new_stop(client: TestClient, db_session: Session) -> Submission:
    organiser(client, db_session)
    return "/manage/stops/new", "/manage/stops/new", {"capacity": "-4", "other_countries": "ZZZ"}


def stop_edit(client: TestClient, db_session: Session) -> Submission:
    organiser(client, db_session)
    path = f"/manage/stops/{create_stop(db_session).id}/edit"
    return path, path, {"end_time": "01:00", "title_it": ""}


def sectors(client: TestClient, db_session: Session) -> Submission:
    organiser(client, db_session)
    return "/manage/reference/sectors", "/manage/reference/sectors", {"name_it-energy": ""}


def territory(client: TestClient, db_session: Session) -> Submission:
    organiser(client, db_session)
    path = "/manage/reference/territories/VA"
    return path, path, {"association": "", "affinity-aerospace": "9"}


def interest(client: TestClient, db_session: Session) -> Submission:
    organiser(client, db_session)
    return "/manage/reference/interest", "/manage/reference/interest", {"score-energy-DE": "9"}


def new_consulate(client: TestClient, db_session: Session) -> Submission:
    organiser(client, db_session)
    return "/manage/consuls", "/manage/consuls", {"name_it": "", "website": "nowhere"}


def new_representative(client: TestClient, db_session: Session) -> Submission:
    organiser(client, db_session)
    path = f"/manage/consuls/{create_consulate(db_session, country='US').id}"
    return path, f"{path}/representatives", {"name": "", "email": "nobody"}


def representative(client: TestClient, db_session: Session) -> Submission:
    organiser(client, db_session)
    path = f"/manage/consuls/representatives/{create_representative(db_session).id}"
    return path, path, {"email": "nobody"}


def new_organiser(client: TestClient, db_session: Session) -> Submission:
    organiser(client, db_session, role="admin")
    return "/manage/organisers", "/manage/organisers", {"email": "nobody", "password": "short"}


def sign_in_link(client: TestClient, db_session: Session) -> Submission:
    return "/sign-in", "/sign-in", {"email": "nobody"}


def _invitation(client: TestClient, db_session: Session) -> str:
    stop = create_stop(db_session, b2b_first_slot=time(14, 0), b2b_slot_count=4, b2b_tables=4)
    invitation = create_invitation(db_session, stop, status="invited")
    db_session.commit()
    person = db_session.get(Representative, invitation.representative_id)
    assert person is not None
    return f"/consul/invitations/{links.invitation_token(invitation, person, client.app.state.settings)}"  # type: ignore[attr-defined]


def consul_confirms(client: TestClient, db_session: Session) -> Submission:
    page = _invitation(client, db_session)
    return page, f"{page}/confirm", {"max_meetings": "-3"}


def consul_delegates(client: TestClient, db_session: Session) -> Submission:
    page = _invitation(client, db_session)
    return page, f"{page}/delegate", {"delegate_name": "", "delegate_email": "nobody"}


def agenda_item(client: TestClient, db_session: Session) -> Submission:
    organiser(client, db_session)
    stop = create_stop(db_session)
    page = f"/manage/stops/{stop.id}/agenda"
    return page, f"{page}/items", {"starts_at": "11:00", "ends_at": "10:00"}


def planner(client: TestClient, db_session: Session) -> Submission:
    organiser(client, db_session)
    return "/manage/planning", "/manage/planning", {"window_start": "soon", "min_gap": "-1"}


def meetings_block(client: TestClient, db_session: Session) -> Submission:
    organiser(client, db_session)
    stop = create_stop(db_session, b2b_first_slot=time(14, 0), b2b_slot_count=4, b2b_tables=4)
    page = f"/manage/stops/{stop.id}/meetings"
    return page, f"{page}/block", {"slot_count": "-1", "first_slot": "late"}


def meeting_request_by_organiser(client: TestClient, db_session: Session) -> Submission:
    organiser(client, db_session)
    stop = create_stop(db_session, b2b_first_slot=time(14, 0), b2b_slot_count=4, b2b_tables=4)
    page = f"/manage/stops/{stop.id}/meetings"
    return page, f"{page}/requests", {"registration_id": "", "invitation_id": ""}


def meeting_request_by_company(client: TestClient, db_session: Session) -> Submission:
    stop = create_stop(db_session, b2b_first_slot=time(14, 0), b2b_slot_count=4, b2b_tables=4)
    entry = create_registration(db_session, stop, status="confirmed")
    create_invitation(db_session, stop, country="US", status="confirmed")
    sign_in_as(client, create_user(db_session, role="company", company_id=entry.company_id))
    page = f"/my/stops/{stop.id}/meetings"
    return page, page, {"invitation_id": "", "goal": "x" * 600}


POSTED: list[Setup] = [
    registration,
    company_profile,
    registration_by_organiser,
    new_stop,
    stop_edit,
    sectors,
    territory,
    interest,
    new_consulate,
    new_representative,
    representative,
    new_organiser,
    sign_in_link,
    consul_confirms,
    consul_delegates,
    agenda_item,
    planner,
    meetings_block,
    meeting_request_by_organiser,
    meeting_request_by_company,
]


@pytest.mark.parametrize("setup", POSTED, ids=lambda setup: setup.__name__)
def test_a_form_sent_back_with_errors_links_each_error_to_its_field(
    client: TestClient, db_session: Session, setup: Setup
) -> None:
    page, action, values = setup(client, db_session)
    db_session.commit()
    fields = form_fields(client.get(page).text, action)
    data = filled(fields, values | {"csrf_token": csrf_token(client)})
    response = client.post(
        action, content=urlencode(data), headers={"content-type": "application/x-www-form-urlencoded"}
    )
    assert 400 <= response.status_code < 500, response.status_code
    assert_errors_are_linked(response.text)


FILTERS = [
    ("/?sector=nowhere", None),
    ("/manage/stops?status=nowhere", "organiser"),
    ("/manage/audit?actor=nobody&date_from=soon", "admin"),
    ("/manage/stops/{stop}/registrations?status=nowhere", "organiser"),
]


@pytest.mark.parametrize(("url", "role"), FILTERS, ids=[url for url, _ in FILTERS])
def test_a_filter_with_bad_values_links_each_error_to_its_field(
    client: TestClient, db_session: Session, url: str, role: str | None
) -> None:
    if role is not None:
        organiser(client, db_session, role=role)
    stop = create_stop(db_session)
    db_session.commit()
    response = client.get(url.format(stop=stop.id))
    assert 400 <= response.status_code < 500, response.status_code
    assert_errors_are_linked(response.text)


def test_the_macros_give_every_kind_of_field_the_same_ids_and_links() -> None:
    forms = environment().from_string(
        '{% import "_macros/forms.html" as f %}'
        "{{ f.error_summary(errors, prefix='p') }}"
        "{{ f.input('a.0.b', 'A', 'x', errors, prefix='p', hint='H') }}"
        "{{ f.textarea('note', 'Note', '', errors, prefix='p') }}"
        "{{ f.select('size', 'Size', [('s', 'Small')], 's', errors, prefix='p', empty='-') }}"
        "{{ f.checkbox('agree', 'Agree', False, errors, prefix='p') }}"
        "{{ f.checkboxes('days', 'Days', [('mon', 'Mon'), ('tue', 'Tue')], ['tue'], errors, prefix='p') }}"
        "{{ f.radios('kind', 'Kind', [('a', 'A'), ('b', 'B')], 'b', errors, prefix='p') }}"
    )
    names = ["a.0.b", "note", "size", "agree", "days", "kind"]
    html = forms.render(errors={name: f"Wrong {name}" for name in names})
    assert_errors_are_linked(html)
    assert 'id="field-p-a-0-b" name="a.0.b"' in html
    assert 'aria-describedby="field-p-a-0-b-hint field-p-a-0-b-error"' in html
    assert 'type="radio" id="field-p-kind-2" name="kind" value="b" checked' in html
    assert 'id="field-p-days-2" name="days" value="tue" checked' in html
    assert html.count('aria-invalid="true"') == 4 + 2 + 2
