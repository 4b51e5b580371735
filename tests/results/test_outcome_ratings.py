"""After the stop each party rates its meetings by an emailed link; months later it is asked again."""

import re
from datetime import date, timedelta

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.accounts import credentials
from app.config import Settings
from app.consuls.models import Representative
from app.outcomes import asking
from app.outcomes.models import MeetingRating
from tests.factories import csrf_token, outbox
from tests.results.outcome_helpers import Day, held_stop, link_to, on

RATE = "outcomes/emails/rate_meetings"
FOLLOW_UP = "outcomes/emails/follow_up"


def representative(db_session: Session, day: Day, which: str = "us") -> Representative:
    person = db_session.get(Representative, getattr(day, which).representative_id)
    assert person is not None
    return person


def ratings(db_session: Session) -> list[MeetingRating]:
    db_session.expire_all()
    return list(db_session.exec(select(MeetingRating).order_by(MeetingRating.id)))  # type: ignore[arg-type]


def asked(db_session: Session, settings: Settings, **stop: date) -> Day:
    """A stop held yesterday whose rating emails have gone out (committed, so links can be opened)."""
    day = held_stop(db_session, **stop)
    on(day.stop.stop_date + timedelta(days=1))
    asking.ask_for_ratings(db_session=db_session, settings=settings)
    db_session.commit()
    return day


def test_each_party_is_emailed_once_the_day_after_the_stop(db_session: Session, settings: Settings) -> None:
    day = held_stop(db_session)
    on(day.stop.stop_date, 20)
    assert asking.ask_for_ratings(db_session=db_session, settings=settings) == 0
    on(day.stop.stop_date + timedelta(days=1))
    assert asking.ask_for_ratings(db_session=db_session, settings=settings) == 4
    assert asking.ask_for_ratings(db_session=db_session, settings=settings) == 0
    [to_alfa] = [m for m in outbox(db_session, to=day.alfa.contact_email) if m.template == RATE]
    assert to_alfa.language == "it" and "Come sono andati i suoi incontri" in to_alfa.subject
    assert to_alfa.body_text.count("\n- ") == 2
    us = representative(db_session, day)
    [to_us] = [m for m in outbox(db_session, to=us.email) if m.template == RATE]
    assert "Alfa S.r.l." in to_us.body_text and "Beta S.p.A." in to_us.body_text


def test_a_meeting_marked_as_a_no_show_is_not_asked_about(db_session: Session, settings: Settings) -> None:
    day = held_stop(db_session)
    day.alfa_de.attendance = "representative_absent"
    db_session.add(day.alfa_de)
    on(day.stop.stop_date + timedelta(days=1))
    assert asking.ask_for_ratings(db_session=db_session, settings=settings) == 3  # the German consul: none
    assert not [m for m in outbox(db_session, to=representative(db_session, day, "de").email)]


def test_rating_by_link_shows_stores_and_a_second_answer_replaces_the_first(
    client: TestClient, db_session: Session, settings: Settings
) -> None:
    day = asked(db_session, settings)
    path = link_to(db_session, day.alfa.contact_email, RATE)
    page = client.get(path)
    assert page.status_code == 200
    assert "Valuti i suoi incontri" in page.text and f'id="meeting-{day.alfa_us.id}"' in page.text
    assert f'id="meeting-{day.beta_us.id}"' not in page.text
    assert "una nuova risposta sostituisce la precedente" in page.text
    token = csrf_token(client)
    response = client.post(
        f"{path}/{day.alfa_us.id}",
        data={"took_place": "yes", "interest": "informative", "comment": "Utile", "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303
    [stored] = ratings(db_session)
    assert (stored.party, stored.stage, stored.took_place, stored.interest, stored.comment) == (
        "company",
        "after_stop",
        True,
        "informative",
        "Utile",
    )
    again = client.get(response.headers["location"])
    assert "Grazie: la sua risposta è stata registrata." in again.text
    assert "Inviando di nuovo il modulo la si sostituisce." in again.text
    # The day of the answer, not the second it was stored at.
    assert re.search(r"La sua risposta del \d{1,2} [a-z]+ \d{4}:", again.text), again.text
    response = client.post(
        f"{path}/{day.alfa_us.id}",
        data={"took_place": "yes", "interest": "cooperation_possible", "comment": "", "csrf_token": token},
    )
    assert response.status_code == 200
    [replaced] = ratings(db_session)
    assert replaced.id == stored.id and replaced.interest == "cooperation_possible" and replaced.comment == ""
    client.post(
        f"{path}/{day.alfa_de.id}", data={"took_place": "no", "interest": "informative", "csrf_token": token}
    )
    second = ratings(db_session)[1]
    assert second.took_place is False and second.interest is None


def test_the_representative_rates_the_same_meeting_separately(
    client: TestClient, db_session: Session, settings: Settings
) -> None:
    day = asked(db_session, settings)
    path = link_to(db_session, representative(db_session, day).email, RATE)
    client.cookies.set("roadshow_lang", "en")
    page = client.get(path)
    assert "Rate your meetings" in page.text and "Alfa S.r.l." in page.text and "Beta S.p.A." in page.text
    data = {"took_place": "yes", "interest": "no_interest", "csrf_token": csrf_token(client)}
    assert client.post(f"{path}/{day.beta_us.id}", data=data, follow_redirects=False).status_code == 303
    [stored] = ratings(db_session)
    assert (stored.meeting_id, stored.party, stored.interest) == (
        day.beta_us.id,
        "representative",
        "no_interest",
    )


def test_rating_someone_elses_meeting_is_not_found_and_changes_nothing(
    client: TestClient, db_session: Session, settings: Settings
) -> None:
    day = asked(db_session, settings)
    path = link_to(db_session, day.alfa.contact_email, RATE)
    data = {"took_place": "yes", "interest": "informative", "csrf_token": csrf_token(client)}
    response = client.post(f"{path}/{day.beta_us.id}", data=data)
    assert response.status_code == 404
    assert "non è tra gli incontri del suo link" in response.text
    assert client.post(f"{path}/999999", data=data).status_code == 404
    assert ratings(db_session) == []


def test_a_missing_answer_shows_the_form_again_with_its_message(
    client: TestClient, db_session: Session, settings: Settings
) -> None:
    day = asked(db_session, settings)
    path = link_to(db_session, day.alfa.contact_email, RATE)
    response = client.post(
        f"{path}/{day.alfa_us.id}",
        data={"took_place": "yes", "comment": "x", "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 422
    assert "Indichi com&#39;è andato l&#39;incontro." in response.text
    assert ratings(db_session) == []


def test_a_garbled_link_gets_a_clear_page_in_the_readers_language(
    client: TestClient, db_session: Session, settings: Settings
) -> None:
    day = asked(db_session, settings)
    path = link_to(db_session, day.alfa.contact_email, RATE)
    garbled = path[:-6]
    client.cookies.set("roadshow_lang", "it")
    italian = client.get(garbled)
    assert italian.status_code == 404 and "Questo link non è valido" in italian.text
    client.cookies.set("roadshow_lang", "en")
    english = client.get(garbled)
    assert english.status_code == 404 and "This link is not valid" in english.text
    data = {"took_place": "yes", "interest": "informative", "csrf_token": csrf_token(client)}
    assert client.post(f"{garbled}/{day.alfa_us.id}", data=data).status_code == 404
    # A company's link does not open the representative's pages, nor the follow-up.
    assert client.get(path.replace("/company/", "/representative/")).status_code == 404
    assert client.get(path.replace("/rating/", "/follow-up/")).status_code == 404
    assert ratings(db_session) == []


def test_withdrawn_and_expired_links_are_gone_and_change_nothing(
    client: TestClient, db_session: Session, settings: Settings
) -> None:
    day = asked(db_session, settings)
    person = representative(db_session, day)
    path = link_to(db_session, person.email, RATE)
    credentials.revoke(person, db_session=db_session)
    db_session.commit()
    client.cookies.set("roadshow_lang", "en")
    data = {"took_place": "yes", "interest": "informative", "csrf_token": csrf_token(client)}
    withdrawn = client.post(f"{path}/{day.alfa_us.id}", data=data)
    assert withdrawn.status_code == 410 and "it was withdrawn" in withdrawn.text
    company_path = link_to(db_session, day.alfa.contact_email, RATE)
    on(day.stop.stop_date + timedelta(days=settings.outcome_follow_up_days))
    expired = client.get(company_path)
    assert expired.status_code == 410 and "This link has expired" in expired.text
    assert client.post(f"{company_path}/{day.alfa_us.id}", data=data).status_code == 410
    assert ratings(db_session) == []


def test_the_follow_up_is_sent_once_182_days_after_the_stop(
    client: TestClient, db_session: Session, settings: Settings
) -> None:
    day = asked(db_session, settings, stop_date=date(2027, 5, 12))
    rate = link_to(db_session, day.alfa.contact_email, RATE)
    # Alfa says its German meeting did not take place: the follow-up does not ask Alfa about it.
    client.post(f"{rate}/{day.alfa_de.id}", data={"took_place": "no", "csrf_token": csrf_token(client)})
    assert settings.outcome_follow_up_days == 182
    on(day.stop.stop_date + timedelta(days=181))
    assert asking.ask_for_follow_ups(db_session=db_session, settings=settings) == 0
    on(date(2027, 11, 10))  # 12 May + 182 days
    assert asking.ask_for_follow_ups(db_session=db_session, settings=settings) == 4
    assert asking.ask_for_follow_ups(db_session=db_session, settings=settings) == 0
    on(date(2027, 11, 20))
    assert asking.ask_for_follow_ups(db_session=db_session, settings=settings) == 0
    db_session.commit()
    [to_alfa] = [m for m in outbox(db_session, to=day.alfa.contact_email) if m.template == FOLLOW_UP]
    assert to_alfa.body_text.count("\n- ") == 1
    path = link_to(db_session, day.alfa.contact_email, FOLLOW_UP)
    page = client.get(path)
    assert page.status_code == 200 and "Trattativa avviata" in page.text
    assert f'id="meeting-{day.alfa_de.id}"' not in page.text
    data = {"outcome": "negotiation_started", "csrf_token": csrf_token(client)}
    assert client.post(f"{path}/{day.alfa_us.id}", data=data, follow_redirects=False).status_code == 303
    follow_up = [r for r in ratings(db_session) if r.stage == "follow_up"]
    assert [(r.meeting_id, r.outcome, r.took_place) for r in follow_up] == [
        (day.alfa_us.id, "negotiation_started", None)
    ]
    assert client.post(f"{path}/{day.alfa_de.id}", data=data).status_code == 404


def test_a_stop_long_past_is_not_asked_about(db_session: Session, settings: Settings) -> None:
    day = held_stop(db_session)
    on(day.stop.stop_date + timedelta(days=45))
    assert asking.ask_for_ratings(db_session=db_session, settings=settings) == 0


def test_two_answers_sent_at_once_leave_one_rating(db_session: Session, settings: Settings) -> None:
    from app.outcomes import rating

    day = held_stop(db_session)
    on(day.stop.stop_date + timedelta(days=1))
    asking.ask_for_ratings(db_session=db_session, settings=settings)
    path = link_to(db_session, day.alfa.contact_email, RATE)
    _, _, stage, party, token = path.split("/")
    first, second = (
        rating.open_link(stage, party, token, settings=settings, db_session=db_session) for _ in range(2)
    )
    rating.answer(first, day.alfa_us.id or 0, rating.RatingForm(took_place="no"), db_session=db_session)
    rating.answer(
        second,
        day.alfa_us.id or 0,
        rating.RatingForm(took_place="yes", interest="informative"),
        db_session=db_session,
    )
    [stored] = ratings(db_session)
    assert (stored.took_place, stored.interest) == (True, "informative")
