"""Suggestions on the participants' pages, from a stop's data and the survey (see ``suggestions``).

The stop's data carry what they need (the companies' sectors and markets, the survey), so
suggesting reads nothing of its own."""

from dataclasses import dataclass

from app.companies.models import Registration
from app.consuls.models import Consulate, Invitation, Representative
from app.matching import suggestions
from app.matching.data import StopData
from app.matching.models import MeetingRequest
from app.reference.models import Country


@dataclass
class SuggestionRow:
    invitation: Invitation
    representative: Representative
    consulate: Consulate
    country: Country
    score: suggestions.Score
    reasons: list[str]
    requested: bool

    @property
    def reason(self) -> str:
        return suggestions.sentence(self.reasons)


def for_company(info: StopData, registration: Registration) -> list[SuggestionRow]:
    """The confirmed representatives of the stop the company should meet first, best first."""
    company_id = registration.company_id
    sectors = info.company_sectors.get(company_id, [])
    markets = info.company_markets.get(company_id, [])
    requested = {q.invitation_id for q in info.requests if q.registration_id == registration.id}
    scored = [
        (
            invitation.id or 0,
            suggestions.score(
                country=invitation.country_code,
                company_sectors=sectors,
                company_markets=markets,
                representative_sectors=invitation.sector_interests,
                interest=info.interest,
            ),
        )
        for invitation in info.confirmed_invitations()
    ]
    survey_rank = {code: country.survey_rank for code, country in info.countries.items()}
    rows = []
    for invitation_id, result in suggestions.ranked(scored, survey_rank):
        if result.total == 0:
            continue
        invitation = info.invitations[invitation_id]
        representative = info.representative_of(invitation)
        country = info.countries[invitation.country_code]
        rows.append(
            SuggestionRow(
                invitation=invitation,
                representative=representative,
                consulate=info.consulates[representative.consulate_id],
                country=country,
                score=result,
                reasons=suggestions.reasons(result, country, info.sectors, for_company=True),
                requested=invitation_id in requested,
            )
        )
    return rows[: suggestions.SHOWN]


def for_representative(
    info: StopData, invitation: Invitation, requests: list[MeetingRequest]
) -> dict[int, list[str]]:
    """For each request, why its company matches what the representative asked for (or nothing)."""
    country = info.countries[invitation.country_code]
    matches = {}
    for q in requests:
        company_id = info.registrations[q.registration_id].company_id
        result = suggestions.score(
            country=invitation.country_code,
            company_sectors=info.company_sectors.get(company_id, []),
            company_markets=info.company_markets.get(company_id, []),
            representative_sectors=invitation.sector_interests,
            interest={},  # the survey speaks of companies' interest, not of the representative's
        )
        matches[q.id or 0] = suggestions.reasons(result, country, info.sectors, for_company=False)
    return matches
