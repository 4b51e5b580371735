"""Which representatives a company should meet first, by a score anyone can check.

The score adds three parts, each from what the company or the representative told us:

- survey: the member survey's interest (0-5) of the company's best sector in the country;
- market: +3 when the company declared the country among its target markets;
- asked: +3 when the representative asked to meet companies of one of the company's sectors.

``score`` is a pure function of plain values; ``reasons`` puts each part into words.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from app.i18n import current_language, lazy
from app.i18n import gettext as _
from app.reference.country_names import country_phrase
from app.reference.models import Country, Sector
from app.web import localized

MARKET_POINTS = 3
ASKED_POINTS = 3
SHOWN = 5
SURVEY_REASON = lazy(
    "Your sector (%(sector)s) ranks %(rank)s for %(country)s in the survey (interest %(score)d of 5)"
)  # suggestions shown on the company's page

Interest = Mapping[str, Mapping[str, int]]  # sector slug -> country code -> survey score 0-5


@dataclass(frozen=True)
class Part:
    kind: str  # "survey", "market" or "asked"
    points: int
    sector: str = ""  # the sector behind the part (survey, asked)
    rank: int = 0  # the sector's rank among all sectors for the country (survey)
    survey_score: int = 0


@dataclass(frozen=True)
class Score:
    country: str
    parts: tuple[Part, ...] = field(default_factory=tuple)

    @property
    def total(self) -> int:
        return sum(part.points for part in self.parts)

    def part(self, kind: str) -> Part | None:
        return next((p for p in self.parts if p.kind == kind), None)


def sector_rank(interest: Interest, sector: str, country: str) -> int:
    """1 for the sector the survey found most interested in ``country`` (ties share a rank)."""
    mine = interest.get(sector, {}).get(country, 0)
    return 1 + sum(1 for by_country in interest.values() if by_country.get(country, 0) > mine)


def score(
    *,
    country: str,
    company_sectors: Sequence[str],
    company_markets: Sequence[str],
    representative_sectors: Sequence[str],
    interest: Interest,
) -> Score:
    parts = []
    rated = [
        (interest.get(s, {}).get(country, 0), s) for s in company_sectors if country in interest.get(s, {})
    ]
    if rated:
        best, sector = max(rated, key=lambda item: (item[0], -company_sectors.index(item[1])))
        rank = sector_rank(interest, sector, country)
        parts.append(Part("survey", best, sector=sector, rank=rank, survey_score=best))
    if country in company_markets:
        parts.append(Part("market", MARKET_POINTS))
    asked = [s for s in company_sectors if s in representative_sectors]
    if asked:
        parts.append(Part("asked", ASKED_POINTS, sector=asked[0]))
    return Score(country=country, parts=tuple(parts))


def ranked(
    scores: Sequence[tuple[int, Score]], survey_rank: Mapping[str, int | None]
) -> list[tuple[int, Score]]:
    """(id, score) pairs, best first; ties go to the country ranked higher in the survey."""
    return sorted(
        scores,
        key=lambda item: (-item[1].total, survey_rank.get(item[1].country) or 99, item[0]),
    )


def ordinal(number: int) -> str:
    if current_language() == "it":
        return f"{number}°"
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def reasons(
    result: Score, country: Country, sectors: Mapping[str, Sector], *, for_company: bool
) -> list[str]:
    """Each part of the score in words, for the company (``for_company``) or the representative."""
    words = []
    for part in result.parts:
        sector = sectors.get(part.sector)
        sector_name = localized(sector, "name") if sector else part.sector
        if part.kind == "survey" and for_company:
            words.append(
                _(SURVEY_REASON)
                % {
                    "sector": sector_name,
                    "rank": ordinal(part.rank),
                    "country": country_phrase(country),
                    "score": part.survey_score,
                }
            )
        elif part.kind == "market":
            if for_company:
                words.append(
                    _("you declared %(country)s as a target market") % {"country": country_phrase(country)}
                )
            else:
                words.append(
                    _("declared %(country)s as a target market") % {"country": country_phrase(country)}
                )
        elif part.kind == "asked":
            if for_company:
                words.append(
                    _("the representative asked to meet companies in %(sector)s") % {"sector": sector_name}
                )
            else:
                words.append(_("works in %(sector)s, which you asked for") % {"sector": sector_name})
    return words


def sentence(words: Sequence[str]) -> str:
    """The reasons as one sentence: "A; b; c."."""
    if not words:
        return ""
    text = "; ".join(words)
    return text[0].upper() + text[1:] + "."
