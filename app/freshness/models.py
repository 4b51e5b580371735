"""The version of what the public pages show."""

from sqlmodel import Field, SQLModel


class PublicVersion(SQLModel, table=True):
    """One row: a token that changes with every commit that wrote what public pages show.

    Each process keeps the parts of public pages it built under the token it read, and builds
    them again only once the token in the database differs (``app.freshness.service``).
    """

    __tablename__ = "public_version"

    id: int = Field(default=1, primary_key=True)
    token: str = Field(max_length=32)
