"""Whom a company should meet first, by a score whose parts and reasons are shown; representatives
see which requesting companies match what they asked for."""

from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlmodel import Session

from app.i18n import set_language
from app.matching import suggestions
from app.reference.models import Country, Sector
from tests.factories import (
    create_company,
    create_invitation,
    create_meeting_request,
    create_registration,
    create_user,
    sign_in_as,
)
from tests.matching.b2b_helpers import b2b_stop

INTEREST = {
    "mechanics": {"DE": 5, "US": 3, "FR": 1},
    "fashion": {"DE": 2, "US": 5, "FR": 4},
    "food": {"DE": 4, "US": 4, "FR": 5},
}


def test_the_score_adds_survey_market_and_what_the_representative_asked_for() -> None:
    germany = suggestions.score(
        country="DE",
        company_sectors=["fashion", "mechanics"],
        company_markets=["DE"],
        representative_sectors=["mechanics"],
        interest=INTEREST,
    )
    assert [(p.kind, p.points) for p in germany.parts] == [("survey", 5), ("market", 3), ("asked", 3)]
    assert germany.total == 11
    survey = germany.part("survey")
    assert survey is not None and (survey.sector, survey.rank) == ("mechanics", 1)
    france = suggestions.score(
        country="FR",
        company_sectors=["fashion", "mechanics"],
        company_markets=["DE"],
        representative_sectors=[],
        interest=INTEREST,
    )
    assert [(p.kind, p.points) for p in france.parts] == [("survey", 4)]
    assert france.part("survey").rank == 2  # type: ignore[union-attr]
    nothing = suggestions.score(
        country="BR",
        company_sectors=["fashion"],
        company_markets=[],
        representative_sectors=[],
        interest=INTEREST,
    )
    assert nothing.total == 0 and nothing.parts == ()


def test_ranking_puts_the_highest_score_first_then_the_survey_order() -> None:
    def only_survey(country: str, points: int) -> suggestions.Score:
        return suggestions.Score(country, (suggestions.Part("survey", points),))

    ranked = suggestions.ranked(
        [(1, only_survey("FR", 4)), (2, only_survey("US", 4)), (3, only_survey("DE", 5))],
        {"US": 1, "DE": 2, "FR": 5},
    )
    assert [invitation_id for invitation_id, _score in ranked] == [3, 2, 1]


def test_sector_rank_shares_a_rank_between_ties() -> None:
    assert suggestions.sector_rank(INTEREST, "food", "US") == 2
    assert suggestions.sector_rank(INTEREST, "fashion", "US") == 1
    assert suggestions.sector_rank(INTEREST, "mechanics", "US") == 3


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            "Your sector (Mechanics) ranks 1st for Germany in the survey (interest 5 of 5); "
            "you declared Germany as a target market; "
            "the representative asked to meet companies in Mechanics.",
        ),
        (
            "it",
            "Il suo settore (Meccanica) è al 1° posto per la Germania nel sondaggio (interesse 5 su 5); "
            "ha indicato la Germania tra i suoi mercati di interesse; "
            "il rappresentante ha chiesto di incontrare aziende del settore Meccanica.",
        ),
    ],
)
def test_the_reasons_read_as_a_sentence(language: str, expected: str) -> None:
    germany = Country(code="DE", name_it="Germania", name_en="Germany")
    sectors = {"mechanics": Sector(slug="mechanics", name_it="Meccanica", name_en="Mechanics")}
    result = suggestions.score(
        country="DE",
        company_sectors=["mechanics"],
        company_markets=["DE"],
        representative_sectors=["mechanics"],
        interest=INTEREST,
    )
    set_language(language)
    try:
        assert (
            suggestions.sentence(suggestions.reasons(result, germany, sectors, for_company=True)) == expected
        )
    finally:
        set_language("it")


def test_the_company_page_ranks_representatives_with_the_reasons(
    client: TestClient, db_session: Session
) -> None:
    b2b = b2b_stop(db_session)  # Ellison (US) looks for aerospace; Weber (DE) for nothing in particular
    company = create_company(db_session, sectors=("aerospace",), markets=["DE"])
    registration = create_registration(db_session, b2b.stop, company, status="confirmed")
    create_invitation(db_session, b2b.stop, country="BR", status="confirmed")
    user = create_user(db_session, role="company", company_id=company.id)
    db_session.commit()
    sign_in_as(client, user)
    client.cookies.set("roadshow_lang", "en")
    page = unescape(client.get(f"/my/stops/{b2b.stop.id}/meetings").text)
    section = page[page.index("Whom to meet first") : page.index("Ask for a meeting")]
    # The survey gives aerospace 5 for the US and 4 for Germany, 3 for Brazil.
    assert section.index("Consul Ellison") < section.index("Consul Weber") < section.index("Brazil")
    assert "Score 8: survey 5 + sought by the representative 3" in section
    assert "Score 7: survey 4 + your market 3" in section
    assert (
        "Your sector (Aerospace) ranks 1st for the United States in the survey (interest 5 of 5)" in section
    )
    assert "you declared Germany as a target market" in section
    assert registration.id is not None


def test_the_consul_sees_which_companies_match_what_they_asked_for(
    client: TestClient, db_session: Session
) -> None:
    b2b = b2b_stop(db_session)
    matching = b2b.registrations[0]  # aerospace, which Ellison asked for
    other = create_registration(
        db_session,
        b2b.stop,
        create_company(db_session, sectors=("fashion",), markets=["US"]),
        status="confirmed",
    )
    unrelated = create_registration(
        db_session, b2b.stop, create_company(db_session, sectors=("fashion",)), status="confirmed"
    )
    for registration in (matching, other, unrelated):
        create_meeting_request(db_session, registration, b2b.us, status="pending")
    user = create_user(db_session, role="consul", representative_id=b2b.us.representative_id)
    db_session.commit()
    sign_in_as(client, user)
    client.cookies.set("roadshow_lang", "en")
    page = unescape(client.get(f"/consul/stops/{b2b.stop.id}/requests").text)
    assert page.count("Matches what you asked for") == 2
    assert "works in Aerospace, which you asked for" in page
    assert "declared the United States as a target market" in page
