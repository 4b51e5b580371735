"""Signed links that let each party of a stop's meetings answer about them without signing in.

One link per party, stop and stage: it names the company's registration (held by the company's
sign-in account) or the representative's invitation (held by the representative), at the
holder's credential version, so that revoking the holder revokes the link (``accounts.credentials``).
Each stage signs with its own salt: a rating link cannot open the follow-up, nor a company's
link a representative's page.
"""

from datetime import date, timedelta

from itsdangerous import URLSafeSerializer

from app.accounts import credentials
from app.accounts.credentials import Claim, Holder
from app.config import Settings
from app.errors import AppError
from app.i18n import lazy
from app.outcomes.models import Party, RatingStage

# The stage as it reads in the link's path.
STAGE_PATHS = {RatingStage.AFTER_STOP: "rating", RatingStage.FOLLOW_UP: "follow-up"}
# A follow-up link stays good this long after it is sent; a rating link until the follow-up.
FOLLOW_UP_OPEN_DAYS = 90

GARBLED = lazy(
    "This link is not valid: it may have been cut short. Please open the link in your latest email."
)
WITHDRAWN = lazy(
    "This link is no longer valid: it was withdrawn. Please write to the organisers for a new one."
)
EXPIRED = lazy("This link has expired: answers about these meetings are no longer collected.")


class LinkGone(AppError):
    """A genuine link that no longer opens anything: withdrawn or past its time."""

    status_code = 410


def _serializer(stage: RatingStage, party: Party, settings: Settings) -> URLSafeSerializer:
    return URLSafeSerializer(settings.secret_key, salt=f"meeting-{stage.value}-{party.value}")


def token(stage: RatingStage, party: Party, subject_id: int, holder: Holder, settings: Settings) -> str:
    """The token naming a registration (company) or an invitation (representative)."""
    return credentials.sign(_serializer(stage, party, settings), holder, subject_id=subject_id)


def url(stage: RatingStage, party: Party, subject_id: int, holder: Holder, settings: Settings) -> str:
    signed = token(stage, party, subject_id, holder, settings)
    return settings.absolute_url(f"/outcomes/{STAGE_PATHS[stage]}/{party.value}/{signed}")


def claim(stage: RatingStage, party: Party, value: str, settings: Settings) -> Claim | None:
    return credentials.read(_serializer(stage, party, settings), value)


def stage_of(path: str) -> RatingStage | None:
    return next((stage for stage, name in STAGE_PATHS.items() if name == path), None)


def closes_on(stage: RatingStage, stop_date: date, settings: Settings) -> date:
    """The last day the stage's link opens."""
    follow_up = stop_date + timedelta(days=settings.outcome_follow_up_days)
    if stage == RatingStage.AFTER_STOP:
        return follow_up - timedelta(days=1)
    return follow_up + timedelta(days=FOLLOW_UP_OPEN_DAYS)
