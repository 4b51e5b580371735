"""Issue 14's B2B day in a real browser, each person by their own clicks: a company asks for two
meetings, the representatives accept from the emailed digest without signing in, the organiser
runs the scheduler as a job and publishes, the company finds its meeting and the request left
out with its reason, and after the stop both parties rate the meeting that the results count."""

import re
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import httpx
from playwright.sync_api import Browser, Page, expect
from sqlmodel import select

from app import clock
from app.accounts import service as accounts_service
from app.accounts.models import Role
from app.db import make_engine, session_scope
from app.matching import request_mail
from app.matching.models import MeetingRequest, RequestStatus
from app.outcomes import asking
from app.stops.models import Stop
from tests.browser.conftest import LiveServer
from tests.browser.people import (
    act_as,
    emailed_link,
    no_sideways_scroll,
    server_settings,
    sign_in_with_password,
)
from tests.factories import (
    create_company,
    create_invitation,
    create_registration,
    create_representative,
    create_stop,
)

PASSWORD = "correct horse battery"
COMPANY = "Avio Componenti S.p.A."
STOP_TITLE = "Aerospazio B2B a Busto Arsizio"


@dataclass
class Day:
    stop_id: int
    near: int  # the invitation whose meeting is placed
    far: int  # the invitation whose request is left out
    near_email: str
    far_email: str
    company_user: int
    company_email: str
    organiser_email: str


def _prepare(live_server: LiveServer) -> Day:
    engine = make_engine(live_server.database_url)
    with session_scope(engine) as db_session:
        # One slot at two tables: the company can meet one of the two representatives only.
        stop = create_stop(
            db_session,
            countries=("US", "DE"),
            stop_date=clock.today() + timedelta(days=30),
            title_it=STOP_TITLE,
            title_en="Aerospace B2B in Busto Arsizio",
            b2b_slots=1,
            b2b_tables=2,
        )
        jane = create_representative(db_session, country="US", name="Jane Carter")
        klaus = create_representative(db_session, country="DE", name="Klaus Weber")
        near = create_invitation(db_session, stop, jane, status="confirmed", sector_interests=["aerospace"])
        far = create_invitation(db_session, stop, klaus, status="confirmed")
        company = create_company(db_session, name=COMPANY)
        create_registration(db_session, stop, company, status="confirmed")
        # The account behind the company's contact address: its rating link is signed for it.
        user = accounts_service.create(
            company.contact_email, role=Role.COMPANY, company_id=company.id, db_session=db_session
        )
        organiser = accounts_service.create(
            f"organiser-{stop.id}-day@example.org",
            role=Role.ORGANISER,
            password=PASSWORD,
            db_session=db_session,
        )
        day = Day(
            stop.id or 0,
            near.id or 0,
            far.id or 0,
            jane.email,
            klaus.email,
            user.id or 0,
            company.contact_email,
            organiser.email,
        )
    engine.dispose()
    return day


def _requests(live_server: LiveServer, day: Day) -> dict[int, tuple[str, object]]:
    engine = make_engine(live_server.database_url)
    with session_scope(engine, write=False) as db_session:
        rows = db_session.exec(select(MeetingRequest).where(MeetingRequest.stop_id == day.stop_id)).all()
        found = {q.invitation_id: (str(q.status), q.answered_at) for q in rows}
    engine.dispose()
    return found


def _ask(page: Page, invitation_id: int, priority: str, goal: str) -> None:
    page.get_by_label("Chi vuole incontrare?").select_option(str(invitation_id))
    page.get_by_label("Priorità").select_option(priority)
    page.get_by_label("Che cosa speri di ottenere?").fill(goal)
    page.get_by_role("button", name="Invia la richiesta").click()
    expect(page.get_by_role("status")).to_have_text("La richiesta è stata inviata.")


def _accept_from_email(consul: Page, link: str) -> None:
    consul.goto(link)  # what clicking the link in the email does: nothing is decided yet
    expect(consul.get_by_role("heading", level=1)).to_have_text("Accept the meeting request")
    consul.get_by_role("button", name="Yes, accept this request").click()
    expect(consul.get_by_role("heading", level=1)).to_have_text("Request accepted")


def _rate(page: Page, link: str, took_place: str, cooperation: str, send: str) -> None:
    page.goto(link)
    meeting = page.locator("section.panel[id^='meeting-']")
    expect(meeting).to_have_count(1)
    meeting.get_by_label(took_place).check()
    meeting.get_by_label(cooperation).check()
    meeting.get_by_role("button", name=send).click()


def _row(page: Page, caption: str, name: str) -> list[str]:
    table = page.locator("table").filter(has=page.locator("caption", has_text=caption))
    return [cell.strip() for cell in table.locator("tr", has_text=name).locator("th, td").all_inner_texts()]


def test_a_b2b_day_from_the_request_to_the_counted_rating(
    page: Page, browser: Browser, live_server: LiveServer, artifacts: Path
) -> None:
    day = _prepare(live_server)
    settings = server_settings(live_server)
    engine = make_engine(live_server.database_url)
    my_meetings = f"{live_server.url}/my/stops/{day.stop_id}/meetings"

    # 1. The company asks for two meetings from its page.
    act_as(page, live_server, day.company_user)
    page.goto(my_meetings)
    expect(page.get_by_role("heading", level=1)).to_have_text("I suoi incontri B2B")
    _ask(page, day.near, "high", "Cerchiamo un distributore in Texas")
    _ask(page, day.far, "low", "Fornitori per l'industria aeronautica bavarese")
    requests = page.get_by_role("region", name="Le sue richieste", exact=True)
    expect(requests.locator("tbody tr")).to_have_count(2)
    expect(requests.locator(".status-pending")).to_have_count(2)
    expect(requests).to_contain_text("Richiesta inviata, in attesa di risposta")
    no_sideways_scroll(page, 1366)
    page.screenshot(path=str(artifacts / "b2b-day-company-requests.png"), full_page=True)

    # 2. The daily digest reaches each representative (the server's own periodic round may
    # have sent it already: either way, once); the link opens without signing in.
    with session_scope(engine) as db_session:
        request_mail.send_request_digests(db_session=db_session, settings=settings)
    accept_near = emailed_link(live_server, day.near_email, "/consul/requests/accept/")
    accept_far = emailed_link(live_server, day.far_email, "/consul/requests/accept/")
    consul_context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    consul = consul_context.new_page()
    consul.goto(accept_near)
    expect(consul.get_by_role("heading", level=1)).to_have_text("Accept the meeting request")
    facts = consul.locator("dl.facts")
    expect(facts).to_contain_text(COMPANY)
    expect(facts).to_contain_text("Cerchiamo un distributore in Texas")
    expect(consul.locator("main")).to_contain_text("Nothing is recorded until you press the button.")
    assert _requests(live_server, day)[day.near][0] == RequestStatus.PENDING  # opening decided nothing
    no_sideways_scroll(consul, 1366)
    consul.screenshot(path=str(artifacts / "b2b-day-consul-confirm.png"), full_page=True)
    no_sideways_scroll(consul, 360)
    consul.screenshot(path=str(artifacts / "b2b-day-consul-confirm-phone.png"), full_page=True)
    consul.set_viewport_size({"width": 1366, "height": 900})
    consul.get_by_role("button", name="Yes, accept this request").click()
    expect(consul.get_by_role("heading", level=1)).to_have_text("Request accepted")
    expect(consul.get_by_role("status")).to_contain_text(f"Thank you: you accepted the request of {COMPANY}.")
    consul.screenshot(path=str(artifacts / "b2b-day-consul-accepted.png"), full_page=True)
    accepted = _requests(live_server, day)[day.near]
    assert accepted[0] == RequestStatus.ACCEPTED

    consul.goto(accept_near)  # the same link again: a clear page, and nothing changes
    expect(consul.get_by_role("heading", level=1)).to_have_text("This link cannot be used")
    expect(consul.get_by_role("alert")).to_have_text(
        "This link has already been used: the request has been answered. Nothing was changed now."
    )
    expect(consul.locator("main")).to_contain_text(f"Request from {COMPANY}")
    consul.screenshot(path=str(artifacts / "b2b-day-consul-link-used.png"), full_page=True)
    assert _requests(live_server, day)[day.near] == accepted

    _accept_from_email(consul, accept_far)  # the other representative accepts too
    consul_context.close()

    # 3. The organiser runs the scheduler: the POST only queues it; the page follows the run.
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in_with_password(
        page, live_server, day.organiser_email, PASSWORD, f"/manage/stops/{day.stop_id}/meetings"
    )
    expect(page.get_by_role("heading", level=1)).to_contain_text("Incontri B2B")
    grid = page.locator("table.meeting-grid")
    expect(grid).to_have_count(0)
    page.get_by_role("button", name="Calcola la pianificazione").click()
    expect(
        page.get_by_text("Il pianificatore degli incontri è in corso: questa pagina lo segue")
    ).to_be_visible()
    expect(page.locator("#run-status")).to_contain_text("Questa pagina si aggiorna da sola")
    assert page.locator('meta[http-equiv="refresh"]').count() == 1
    page.screenshot(path=str(artifacts / "b2b-day-organiser-running.png"), full_page=True)
    expect(grid).to_be_visible(timeout=60_000)  # the page reloaded itself until the draft was there
    assert page.locator('meta[http-equiv="refresh"]').count() == 0
    expect(grid.locator("td.meeting-cell")).to_have_count(1)
    expect(grid).to_contain_text(COMPANY)
    left_out = page.locator("ul.left-out")
    expect(left_out).to_contain_text("Klaus Weber")
    expect(left_out).to_contain_text("l'impresa ha già un incontro in ogni fascia oraria disponibile")
    no_sideways_scroll(page, 1366)
    page.screenshot(path=str(artifacts / "b2b-day-organiser-draft.png"), full_page=True)
    page.get_by_role("button", name="Pubblica il calendario").click()
    expect(page.locator("#publish-summary")).to_contain_text("riceveranno un'email:")
    page.screenshot(path=str(artifacts / "b2b-day-publish-confirmation.png"), full_page=True)
    page.get_by_role("button", name="Pubblica ora").click()
    expect(page.get_by_role("status")).to_have_text(
        "Il calendario è pubblicato; i partecipanti i cui incontri sono cambiati hanno ricevuto un'email."
    )

    # 4. The company sees its meeting, and the request left out with its reason.
    act_as(page, live_server, day.company_user)
    page.goto(my_meetings)
    agenda = page.get_by_role("region", name="I suoi incontri", exact=True)
    expect(agenda.locator("tbody tr")).to_have_count(1)
    expect(agenda).to_contain_text("Jane Carter")
    expect(agenda).to_contain_text("14:00")
    placed = requests.locator("tbody tr", has_text="Jane Carter")
    expect(placed.locator(".status-scheduled")).to_have_text("In calendario")
    expect(placed.locator(".status-detail")).to_have_text(re.compile(r"^14:00–14:20, tavolo [12]$"))
    missed = requests.locator("tbody tr", has_text="Klaus Weber")
    expect(missed.locator(".status-not_scheduled")).to_have_text("Non inserita in calendario")
    expect(missed.locator(".status-detail")).to_have_text(
        "l'impresa ha già un incontro in ogni fascia oraria disponibile"
    )
    no_sideways_scroll(page, 1366)
    page.screenshot(path=str(artifacts / "b2b-day-company-schedule.png"), full_page=True)
    no_sideways_scroll(page, 360)
    page.screenshot(path=str(artifacts / "b2b-day-company-schedule-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})

    # 5. The stop took place yesterday; the next morning's job asks both parties to rate.
    with session_scope(engine) as db_session:
        stop = db_session.get(Stop, day.stop_id)
        assert stop is not None
        stop.stop_date = clock.today() - timedelta(days=1)
        db_session.add(stop)
    with session_scope(engine) as db_session:
        assert asking.ask_for_ratings(db_session=db_session, settings=settings) == 2
    company_link = emailed_link(live_server, day.company_email, "/outcomes/rating/company/")
    consul_link = emailed_link(live_server, day.near_email, "/outcomes/rating/representative/")

    page.context.clear_cookies()  # the link is the credential
    _rate(page, company_link, "Sì, si è svolto", "Informativo", "Invii la risposta")
    expect(page.get_by_role("heading", level=1)).to_have_text("Valuti i suoi incontri")
    expect(page.get_by_role("status")).to_have_text("Grazie: la sua risposta è stata registrata.")
    expect(page.locator(".answer-note")).to_contain_text("Sì, si è svolto, informativo")
    # A second answer replaces the first: the dashboard below counts one answer per party.
    _rate(
        page,
        company_link,
        "Sì, si è svolto",
        "Collaborazione possibile",
        "Sostituisca la risposta precedente",
    )
    expect(page.get_by_role("status")).to_have_text("Grazie: la sua risposta è stata registrata.")
    expect(page.locator(".answer-note")).to_contain_text("Sì, si è svolto, collaborazione possibile")
    no_sideways_scroll(page, 360)
    page.screenshot(path=str(artifacts / "b2b-day-company-rated-phone.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})

    consul_context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="en-GB")
    consul = consul_context.new_page()
    _rate(consul, consul_link, "Yes, it took place", "Cooperation possible", "Send my answer")
    expect(consul.get_by_role("heading", level=1)).to_have_text("Rate your meetings")
    expect(consul.locator("section.panel")).to_contain_text(COMPANY)
    expect(consul.get_by_role("status")).to_have_text("Thank you: your answer has been recorded.")
    no_sideways_scroll(consul, 1366)
    consul.screenshot(path=str(artifacts / "b2b-day-consul-rated.png"), full_page=True)
    consul_context.close()

    # The organiser's results count the meeting held and its two ratings.
    sign_in_with_password(page, live_server, day.organiser_email, PASSWORD, "/manage/results")
    expect(page.get_by_role("heading", level=1)).to_have_text("Risultati del roadshow")
    held_tile = page.locator(".results-tiles div", has_text="Incontri B2B svolti").locator("dd")
    expect(held_tile).to_have_text("1")
    # Stop, date, scheduled, held, company absent, representative absent, no-show rate.
    attendance = _row(page, "Incontri svolti e assenze per tappa", STOP_TITLE)
    assert attendance[2:] == ["1", "1", "0", "0", "0,0"], attendance
    # Stop, date, answers, did not take place, no interest, informative, cooperation, share.
    ratings = _row(page, "Valutazioni del giorno dopo per tappa", STOP_TITLE)
    assert ratings[2:] == ["2", "0", "0", "0", "2", "100,0"], ratings
    no_sideways_scroll(page, 1366)
    page.screenshot(path=str(artifacts / "b2b-day-results.png"), full_page=True)
    engine.dispose()


def test_garbled_answer_and_rating_links_get_a_clear_page_in_the_readers_language(
    live_server: LiveServer,
) -> None:
    pages = {
        "/consul/requests/accept/not-a-real-token": {
            "it": ("Questo link non può essere usato", "Questo link non è valido"),
            "en": ("This link cannot be used", "This link is not valid"),
        },
        "/outcomes/rating/company/not-a-real-token": {
            "it": ("Questo link non è valido: potrebbe essere stato troncato.",),
            "en": ("This link is not valid: it may have been cut short.",),
        },
    }
    for path, languages in pages.items():
        for language, texts in languages.items():
            response = httpx.get(live_server.url + path, headers={"Accept-Language": language})
            assert response.status_code == 404, (path, language)
            assert f'lang="{language}"' in response.text
            for text in texts:
                assert text in response.text, (path, language, text)
