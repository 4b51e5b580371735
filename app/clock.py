"""The current time, in one place so that tests can move it (reminders, holds, windows)."""

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

ROME = ZoneInfo("Europe/Rome")

_source: Callable[[], datetime] = lambda: datetime.now(UTC)  # noqa: E731


def now() -> datetime:
    """The current time, timezone-aware UTC."""
    return _source()


def today() -> date:
    """Today's date where the roadshow happens."""
    return now().astimezone(ROME).date()


def set_source(source: Callable[[], datetime] | None) -> None:
    """Tests only: make ``now()`` answer from ``source`` (``None`` restores the real clock)."""
    global _source  # noqa: PLW0603
    _source = source or (lambda: datetime.now(UTC))
