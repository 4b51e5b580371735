"""Reference data named by stable codes: sectors, countries, territories and their scores."""

from sqlalchemy import CheckConstraint, String
from sqlmodel import Field, SQLModel


class Sector(SQLModel, table=True):
    slug: str = Field(primary_key=True, max_length=40)
    name_it: str = Field(max_length=80)
    name_en: str = Field(max_length=80)
    position: int = 0


class Country(SQLModel, table=True):
    code: str = Field(primary_key=True, max_length=2, sa_type=String(2))
    name_it: str = Field(max_length=80)
    name_en: str = Field(max_length=80)
    # Rank in the association's internationalisation survey; null for countries added later.
    survey_rank: int | None = None
    is_prospect: bool = True


class Territory(SQLModel, table=True):
    """A Lombard province with its Confindustria territorial association."""

    code: str = Field(primary_key=True, max_length=2, sa_type=String(2))
    name: str = Field(max_length=80)
    capital: str = Field(max_length=80)
    association: str = Field(max_length=120)
    association_url: str | None = Field(default=None, max_length=200)
    patron_saint_day: str | None = Field(default=None, max_length=5, description="MM-DD")
    patron_saint_name: str | None = Field(default=None, max_length=120)
    position: int = 0


class TerritorySector(SQLModel, table=True):
    """How well a territory suits a sector (0-5), and whether it is one of its strengths."""

    __tablename__ = "territory_sector"
    __table_args__ = (CheckConstraint("affinity BETWEEN 0 AND 5", name="affinity_range"),)

    territory_code: str = Field(foreign_key="territory.code", primary_key=True, max_length=2)
    sector_slug: str = Field(foreign_key="sector.slug", primary_key=True, max_length=40)
    affinity: int = 0
    strength: bool = False


class SectorInterest(SQLModel, table=True):
    """Survey interest (0-5) of a sector's companies in a prospect country."""

    __tablename__ = "sector_interest"
    __table_args__ = (CheckConstraint("score BETWEEN 0 AND 5", name="score_range"),)

    sector_slug: str = Field(foreign_key="sector.slug", primary_key=True, max_length=40)
    country_code: str = Field(foreign_key="country.code", primary_key=True, max_length=2)
    score: int = 0


class ReferenceVersion(SQLModel, table=True):
    """One row: a token that changes whenever sectors, countries or territories change.

    Each process keeps the reference data it read under the token it read it with, and reads
    the data again only when the token in the database differs (``app.reference.service``).
    """

    __tablename__ = "reference_version"

    id: int = Field(default=1, primary_key=True)
    token: str = Field(max_length=32)
