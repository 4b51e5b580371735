"""The load benchmark's data set still fits the models: a small one is built and served."""

from fastapi.testclient import TestClient
from sqlmodel import Session

from app.accounts.models import User
from benchmarks.load_data import populate
from tests.factories import sign_in_as


def test_a_small_benchmark_data_set_is_built_and_its_pages_answer(
    client: TestClient, db_session: Session
) -> None:
    facts = populate(db_session, stops=3, companies=40, registrations=80)
    db_session.commit()
    assert facts["stops"] == 3 and facts["registrations"] == 80 and facts["meetings"] > 0
    stop_id = facts["first_stop_id"]
    assert client.get("/").status_code == 200
    assert client.get(f"/stops/{stop_id}").status_code == 200
    user = db_session.get(User, facts["company_user_id"])
    assert user is not None
    sign_in_as(client, user)
    assert client.get(f"/my/stops/{stop_id}/agenda").status_code == 200
