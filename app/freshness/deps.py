"""The application's store of kept copies, for the routes."""

from fastapi import Request

from app.freshness.service import Copies


def copies(request: Request) -> Copies:
    """The application's store (``ROADSHOW_PUBLIC_COPIES`` entries at most)."""
    store = request.app.state.public_copies
    assert isinstance(store, Copies)
    return store
