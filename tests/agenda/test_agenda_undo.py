"""Deleting an agenda item asks first, then can be undone; publishing says who will read it."""

from datetime import time

from fastapi.testclient import TestClient
from sqlmodel import Session, select

from app.agenda.models import AgendaItem, AgendaSpeaker
from tests.agenda.agenda_helpers import item_form, signed_in_organiser
from tests.factories import (
    create_agenda_item,
    create_agenda_speaker,
    create_registration,
    create_stop,
    csrf_token,
)


def test_deleting_an_item_is_confirmed_then_undone_with_its_speakers(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, b2b_slots=6)
    item = create_agenda_item(db_session, stop, title_it="Saluti di benvenuto", title_en="Welcome")
    create_agenda_speaker(db_session, item, name="Maria Verdi", affiliation="Confindustria Varese")
    signed_in_organiser(client, db_session)
    builder = client.get(f"/manage/stops/{stop.id}/agenda").text
    assert (
        f'action="/manage/stops/{stop.id}/agenda/items/{item.id}/delete"' not in builder
    )  # a link, not a POST
    page = client.get(f"/manage/stops/{stop.id}/agenda/items/{item.id}/delete")
    assert page.status_code == 200
    assert "«Saluti di benvenuto» (10:00–10:30) esce dal programma." in page.text
    assert "Maria Verdi" in page.text and "data-confirmed-action" in page.text

    deleted = client.post(page.url.path, data={"csrf_token": csrf_token(client)}, follow_redirects=False)
    assert deleted.status_code == 303
    after = client.get(deleted.headers["location"]).text
    assert "Saluti di benvenuto" not in after.split('id="items-heading"')[1].split("</section>")[0]
    assert f"/agenda/items/{item.id}/restore" in after and "Ripristina l'intervento eliminato" in after
    assert client.get(f"/stops/{stop.id}/agenda.ics").status_code in (200, 404)

    restored = client.post(
        f"/manage/stops/{stop.id}/agenda/items/{item.id}/restore",
        data={"csrf_token": csrf_token(client)},
        follow_redirects=False,
    )
    assert restored.status_code == 303
    db_session.expire_all()
    back = db_session.get(AgendaItem, item.id)
    assert back is not None and back.deleted_at is None
    speakers = db_session.exec(select(AgendaSpeaker).where(AgendaSpeaker.item_id == item.id)).all()
    assert [s.name for s in speakers] == ["Maria Verdi"]
    assert "Maria Verdi" in client.get(restored.headers["location"]).text


def test_an_item_cannot_come_back_over_one_added_in_its_place(
    client: TestClient, db_session: Session
) -> None:
    stop = create_stop(db_session, b2b_slots=6)
    item = create_agenda_item(db_session, stop, starts_at=time(10, 0), ends_at=time(10, 30))
    signed_in_organiser(client, db_session)
    client.post(
        f"/manage/stops/{stop.id}/agenda/items/{item.id}/delete", data={"csrf_token": csrf_token(client)}
    )
    added = client.post(
        f"/manage/stops/{stop.id}/agenda/items", data=item_form(client), follow_redirects=False
    )
    assert added.status_code == 303
    again = client.post(
        f"/manage/stops/{stop.id}/agenda/items/{item.id}/restore", data={"csrf_token": csrf_token(client)}
    )
    assert again.status_code == 409 and "non può essere ripristinato" in again.text
    db_session.expire_all()
    gone = db_session.get(AgendaItem, item.id)
    assert gone is not None and gone.deleted_at is not None


def test_publishing_the_agenda_says_who_will_read_it(client: TestClient, db_session: Session) -> None:
    stop = create_stop(db_session, b2b_slots=6)
    create_agenda_item(db_session, stop)
    create_registration(db_session, stop, status="confirmed")
    create_registration(db_session, stop, status="confirmed")
    signed_in_organiser(client, db_session)
    page = client.get(f"/manage/stops/{stop.id}/agenda/status")
    assert page.status_code == 200
    assert "1 intervento compare nella pagina pubblica della tappa." in page.text
    assert "2 aziende con iscrizione confermata" in page.text
    assert 'name="status" value="published"' in page.text
    draft = client.get(f"/manage/stops/{stop.id}/agenda/status", params={"status": "draft"})
    assert "Riporta il programma in bozza" in draft.text and 'value="draft"' in draft.text
