"""Translations: English msgids, Italian catalogues under ``app/locale``, one domain per area.

The current language lives in a context variable set by ``LocaleMiddleware`` for each request,
so templates and services translate without passing the request around. Each area of the
app keeps its own catalogue (``app/locale/it/LC_MESSAGES/<area>.po``); they are compiled to
``.mo`` at install time and merged here.
"""

from collections.abc import Iterable
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.support import NullTranslations, Translations
from starlette.types import ASGIApp, Receive, Scope, Send

LANGUAGES = ("it", "en")
LANGUAGE_COOKIE = "roadshow_lang"
LOCALE_DIR = Path(__file__).parent / "locale"

_current_language: ContextVar[str] = ContextVar("current_language", default="it")


def current_language() -> str:
    return _current_language.get()


def set_language(language: str) -> None:
    _current_language.set(language if language in LANGUAGES else "it")


@lru_cache
def translations_for(language: str) -> NullTranslations:
    merged: NullTranslations | None = None
    folder = LOCALE_DIR / language / "LC_MESSAGES"
    for mo_file in sorted(folder.glob("*.mo")) if folder.is_dir() else []:
        with mo_file.open("rb") as handle:
            catalogue = Translations(handle, domain=mo_file.stem)
        if merged is None:
            merged = catalogue
        else:
            assert isinstance(merged, Translations)
            merged.merge(catalogue)
    return merged or NullTranslations()


def gettext(message: str) -> str:
    return translations_for(current_language()).ugettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations_for(current_language()).ungettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """A message whose translation depends on what it describes (Italian agrees in gender)."""
    return translations_for(current_language()).upgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return translations_for(current_language()).unpgettext(context, singular, plural, n)


def lazy_p(context: str, message: str) -> str:
    """Like ``lazy``, for a message shown later with ``pgettext(context, message)``."""
    return message


def lazy(message: str) -> str:
    """Mark a msgid for extraction where it is declared and translate it where it is shown."""
    return message


# English pages are read mostly in Europe: British conventions for dates ("7 July 2026").
BABEL_LOCALES = {"it": "it_IT", "en": "en_GB"}


def babel_locale(language: str | None = None) -> Locale:
    return _locale(language or current_language())


@lru_cache
def _locale(language: str) -> Locale:
    # Parsed once per language: every date and time a page formats asks for it.
    return Locale.parse(BABEL_LOCALES[language])


def negotiate(cookie: str | None, accept_language: str | None, default: str) -> str:
    if cookie in LANGUAGES:
        return cookie
    for candidate in _accepted(accept_language or ""):
        primary = candidate.split("-")[0].lower()
        if primary in LANGUAGES:
            return primary
    return default


def _accepted(header: str) -> Iterable[str]:
    weighted = []
    for position, part in enumerate(header.split(",")):
        pieces = part.strip().split(";")
        if not pieces[0]:
            continue
        quality = 1.0
        for param in pieces[1:]:
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if quality > 0:
            weighted.append((-quality, position, pieces[0]))
    return [tag for _, _, tag in sorted(weighted)]


class LocaleMiddleware:
    """Chooses the language of each request: cookie, then Accept-Language, then the default."""

    def __init__(self, app: ASGIApp, default_language: str = "it") -> None:
        self.app = app
        self.default_language = default_language

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        cookie = _cookie_value(headers.get("cookie", ""), LANGUAGE_COOKIE)
        language = negotiate(cookie, headers.get("accept-language"), self.default_language)
        token = _current_language.set(language)
        scope.setdefault("state", {})["language"] = language
        try:
            await self.app(scope, receive, send)
        finally:
            _current_language.reset(token)


def _cookie_value(header: str, name: str) -> str | None:
    for part in header.split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None
