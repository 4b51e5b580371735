"""Readable names for the codes an instance uses."""

from __future__ import annotations

from functools import cache

from babel import Locale


@cache
def country_label(code: str) -> str:
    """`Saudi Arabia (SA)` for an ISO 3166 code Babel knows; the bare code otherwise."""
    name = Locale("en").territories.get(code)
    return f"{name} ({code})" if name else code


def plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {nouns or noun + 's'}"
