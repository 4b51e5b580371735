from datetime import time

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.agenda.models import AgendaItem, AgendaSpeaker
from app.audit.models import AuditEvent
from app.stops.models import Stop
from tests.agenda.agenda_helpers import item_form, signed_in_organiser
from tests.factories import (
    create_agenda_item,
    create_agenda_speaker,
    create_invitation,
    create_representative,
    create_stop,
    create_user,
    csrf_token,
    sign_in_as,
)


def items_of(db_session: Session, stop: Stop) -> list[AgendaItem]:
    db_session.expire_all()
    return list(
        db_session.exec(
            select(AgendaItem)
            .where(AgendaItem.stop_id == stop.id, AgendaItem.deleted_at == None)  # noqa: E711
            .order_by(AgendaItem.starts_at)
        )
    )


def test_organiser_adds_an_item_with_speakers_and_it_is_audited(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, b2b_slots=6)
    rep = create_representative(db_session, country="US", name="Margaret Ellison")
    create_invitation(db_session, stop, rep, status="confirmed")
    user = signed_in_organiser(client, db_session)
    form = item_form(
        client,
        kind="country_presentation",
        representative_id=[str(rep.id)],
        speaker_name=["Mario Bianchi", ""],
        speaker_affiliation=["Presidente, Confindustria Varese", ""],
    )
    response = client.post(f"/manage/stops/{stop.id}/agenda/items", data=form, follow_redirects=False)
    assert response.status_code == 303
    [item] = items_of(db_session, stop)
    speakers = db_session.exec(select(AgendaSpeaker).where(AgendaSpeaker.item_id == item.id)).all()
    assert {(s.representative_id, s.name) for s in speakers} == {(rep.id, ""), (None, "Mario Bianchi")}
    assert db_session.get(Stop, stop.id).agenda_status == "draft"  # type: ignore[union-attr]
    event = db_session.exec(select(AuditEvent).where(AuditEvent.action == "agenda_item.create")).one()
    assert event.actor_user_id == user.id and event.after["title_it"] == "Apertura dei lavori"  # type: ignore[index]
    page = client.get(response.headers["location"]).text
    assert "Apertura dei lavori" in page and "Margaret Ellison" in page and "Mario Bianchi" in page


def test_overlapping_item_in_the_same_room_is_refused_with_the_message_by_the_room(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, b2b_slots=6)
    create_agenda_item(db_session, stop, starts_at=time(10, 0), ends_at=time(10, 30), title_it="Saluti")
    signed_in_organiser(client, db_session)
    response = client.post(
        f"/manage/stops/{stop.id}/agenda/items", data=item_form(client, starts_at="10:15", ends_at="10:45")
    )
    assert response.status_code == 422
    assert (
        'id="field-room" name="room"' in response.text
        and 'aria-describedby="field-room-error"' in response.text
    )
    assert "Si sovrappone a “Saluti” (10:00–10:30) nella stessa sala." in response.text
    assert len(items_of(db_session, stop)) == 1


def test_item_outside_hours_and_bad_b2b_block_are_refused(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session, b2b_slots=6)
    signed_in_organiser(client, db_session)
    early = client.post(f"/manage/stops/{stop.id}/agenda/items", data=item_form(client, starts_at="08:00"))
    assert early.status_code == 422 and "La tappa apre alle 09:30" in early.text
    block = client.post(
        f"/manage/stops/{stop.id}/agenda/items",
        data=item_form(client, kind="b2b_block", starts_at="14:00", ends_at="15:00", room="Area B2B"),
    )
    assert block.status_code == 422
    assert "Gli incontri B2B finiscono alle 16:00 (6 slot da 20 minuti)." in block.text
    assert items_of(db_session, stop) == []


def test_country_presentation_by_unconfirmed_representative_is_kept_as_a_draft_and_published_with_a_warning(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, b2b_slots=6)
    rep = create_representative(db_session, country="DE", name="Klaus Weber")
    create_invitation(db_session, stop, rep, status="invited")
    signed_in_organiser(client, db_session)
    response = client.post(
        f"/manage/stops/{stop.id}/agenda/items",
        data=item_form(
            client,
            kind="country_presentation",
            representative_id=[str(rep.id)],
            speaker_name=["Maria Bianchi", "Paolo Neri"],
            speaker_affiliation=["Bianchi Srl", ""],
            speaker_to_confirm=["2"],
        ),
        follow_redirects=False,
    )
    assert response.status_code == 303
    builder = client.get(f"/manage/stops/{stop.id}/agenda").text
    assert "console non ancora confermato" in builder
    assert "10:00 Apertura dei lavori: Klaus Weber: console non ancora confermato." in builder
    assert "10:00 Apertura dei lavori: Paolo Neri: da confermare." in builder
    assert "Maria Bianchi: da confermare" not in builder

    published = client.post(
        f"/manage/stops/{stop.id}/agenda/status",
        data={"csrf_token": csrf_token(client), "status": "published"},
        follow_redirects=False,
    )
    assert published.status_code == 303
    db_session.refresh(stop)
    assert stop.agenda_status == "published"
    after = client.get(published.headers["location"]).text
    assert "Agenda pubblicata con relatori ancora da confermare" in after
    assert "Paolo Neri: da confermare." in after
    public = client.get(f"/stops/{stop.id}").text
    assert public.count("da confermare") == 2  # Klaus Weber and Paolo Neri, not Maria Bianchi


def test_representative_not_invited_to_the_stop_cannot_speak(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session, b2b_slots=6)
    stranger = create_representative(db_session, country="IN")
    signed_in_organiser(client, db_session)
    response = client.post(
        f"/manage/stops/{stop.id}/agenda/items", data=item_form(client, representative_id=[str(stranger.id)])
    )
    assert response.status_code == 422 and "invitati a questa tappa" in response.text


def test_missing_titles_and_bad_times_are_named(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session, b2b_slots=6)
    signed_in_organiser(client, db_session)
    response = client.post(
        f"/manage/stops/{stop.id}/agenda/items",
        data=item_form(client, title_it="", starts_at="ten", kind="party"),
        headers={"Accept-Language": "en"},
    )
    assert response.status_code == 422
    html = response.text
    assert 'id="field-title_it-error"' in html and "Enter a title." in html
    assert "Enter a time as HH:MM." in html and "Choose the kind of item." in html


def test_editing_an_item_keeps_it_from_clashing_with_itself_and_deleting_removes_it(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, b2b_slots=6)
    item = create_agenda_item(db_session, stop, starts_at=time(10, 0), ends_at=time(10, 30))
    signed_in_organiser(client, db_session)
    form_page = client.get(f"/manage/stops/{stop.id}/agenda/items/{item.id}")
    assert 'value="10:00"' in form_page.text
    response = client.post(
        f"/manage/stops/{stop.id}/agenda/items/{item.id}",
        data=item_form(client, starts_at="10:00", ends_at="10:45", title_en="Opening keynote"),
        follow_redirects=False,
    )
    assert response.status_code == 303
    [saved] = items_of(db_session, stop)
    assert saved.ends_at == time(10, 45) and saved.title_en == "Opening keynote"
    deleted = client.post(
        f"/manage/stops/{stop.id}/agenda/items/{item.id}/delete",
        data={"csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert deleted.status_code == 303 and items_of(db_session, stop) == []


def test_typical_day_template_fills_a_valid_agenda_that_can_be_published(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, b2b_slots=6, countries=("US", "DE"))
    rep = create_representative(db_session, country="US", name="Margaret Ellison")
    create_invitation(db_session, stop, rep, status="confirmed")
    user = signed_in_organiser(client, db_session)
    copied = client.post(
        f"/manage/stops/{stop.id}/agenda/copy",
        data={"csrf_token": csrf_token(client), "source": "template"},
        follow_redirects=False,
    )
    assert copied.status_code == 303
    kinds = [item.kind for item in items_of(db_session, stop)]
    assert kinds == [
        "welcome",
        "keynote",
        "country_presentation",
        "country_presentation",
        "panel",
        "networking_lunch",
        "b2b_block",
        "closing",
    ]
    published = client.post(
        f"/manage/stops/{stop.id}/agenda/status",
        data={"csrf_token": csrf_token(client), "status": "published"},
        follow_redirects=False,
    )
    assert published.status_code == 303
    db_session.expire_all()
    assert db_session.get(Stop, stop.id).agenda_status == "published"  # type: ignore[union-attr]
    event = db_session.exec(select(AuditEvent).where(AuditEvent.action == "agenda.publish")).one()
    assert event.actor_user_id == user.id and event.after == {"agenda_status": "published"}
    public = client.get(f"/stops/{stop.id}").text
    assert "Programma della giornata" in public and "Presentazione Paese: Stati Uniti" in public
    assert "Margaret Ellison" in public


def test_agenda_with_problems_is_not_published(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session, b2b_slots=6)
    create_agenda_item(
        db_session, stop, kind="b2b_block", starts_at=time(14, 0), ends_at=time(15, 0), room="B2B"
    )
    signed_in_organiser(client, db_session)
    response = client.post(
        f"/manage/stops/{stop.id}/agenda/status",
        data={"csrf_token": csrf_token(client), "status": "published"},
    )
    assert response.status_code == 422 and "16:00" in response.text
    db_session.expire_all()
    assert db_session.get(Stop, stop.id).agenda_status != "published"  # type: ignore[union-attr]


def test_empty_agenda_cannot_be_published(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session, b2b_slots=6)
    signed_in_organiser(client, db_session)
    response = client.post(
        f"/manage/stops/{stop.id}/agenda/status",
        data={"csrf_token": csrf_token(client), "status": "published"},
    )
    assert response.status_code == 409


def test_copy_from_another_stop_keeps_only_representatives_invited_here(
    client: TestClient, db_session: Session
) -> None:
    source = create_stop(db_session, b2b_slots=6)
    target = create_stop(db_session, b2b_slots=6)
    shared = create_representative(db_session, country="US", name="Shared Consul")
    only_there = create_representative(db_session, country="DE", name="Absent Consul")
    create_invitation(db_session, source, shared, status="confirmed")
    create_invitation(db_session, source, only_there, status="confirmed")
    create_invitation(db_session, target, shared, status="confirmed")
    item = create_agenda_item(db_session, source, kind="panel", title_it="Tavola rotonda")
    for rep in (shared, only_there):
        create_agenda_speaker(db_session, item, representative_id=rep.id)
    create_agenda_speaker(db_session, item, name="Mario Bianchi", affiliation="Confindustria")
    create_agenda_item(db_session, target, title_it="Da sostituire")
    db_session.flush()
    signed_in_organiser(client, db_session)
    response = client.post(
        f"/manage/stops/{target.id}/agenda/copy",
        data={"csrf_token": csrf_token(client), "source": str(source.id)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    [copied] = items_of(db_session, target)
    assert copied.title_it == "Tavola rotonda"
    speakers = db_session.exec(select(AgendaSpeaker).where(AgendaSpeaker.item_id == copied.id)).all()
    assert {(s.representative_id, s.name) for s in speakers} == {(shared.id, ""), (None, "Mario Bianchi")}


def test_copy_from_a_stop_without_agenda_says_so(client: TestClient, db_session: Session) -> None:
    stop, empty = create_stop(db_session, b2b_slots=6), create_stop(db_session, b2b_slots=6)
    signed_in_organiser(client, db_session)
    response = client.post(
        f"/manage/stops/{stop.id}/agenda/copy",
        data={"csrf_token": csrf_token(client), "source": str(empty.id)},
    )
    assert response.status_code == 422 and "non ha un programma da copiare" in response.text


def test_builder_is_for_organisers_only(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session, b2b_slots=6)
    assert client.get(f"/manage/stops/{stop.id}/agenda", follow_redirects=False).status_code == 303
    sign_in_as(client, create_user(db_session, role="company", password=None))
    assert client.get(f"/manage/stops/{stop.id}/agenda").status_code == 403
    form = item_form(client)
    assert client.post(f"/manage/stops/{stop.id}/agenda/items", data=form).status_code == 403


def test_form_without_csrf_token_is_refused(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session, b2b_slots=6)
    signed_in_organiser(client, db_session)
    form = item_form(client)
    del form["csrf_token"]
    assert client.post(f"/manage/stops/{stop.id}/agenda/items", data=form).status_code == 403
