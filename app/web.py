"""Jinja environment, translations in templates, and the filters pages share."""

from collections.abc import Iterable
from datetime import date, datetime, time
from functools import cache, lru_cache
from typing import Any

from babel.dates import format_date, format_datetime, format_time
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, pass_eval_context, select_autoescape
from jinja2.nodes import EvalContext
from markupsafe import Markup, escape

from app.clock import ROME
from app.config import get_settings
from app.csrf import csrf_input
from app.i18n import LANGUAGES, babel_locale, current_language, gettext, ngettext, npgettext, pgettext
from app.labels import audit_action, label
from app.reference.country_names import country_phrase


def localized(obj: Any, field: str) -> str:
    """``obj.<field>_it`` or ``obj.<field>_en`` for the current language, falling back to Italian."""
    value = getattr(obj, f"{field}_{current_language()}", None)
    return value or getattr(obj, f"{field}_it", "") or ""


def _date(value: date | datetime | None, format: str = "long") -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return format_datetime(value, format=format, locale=babel_locale(), tzinfo=ROME)
    return format_date(value, format=format, locale=babel_locale())


def date_text(value: date | datetime, format: str = "long") -> str:
    """A date (or a moment, in Rome) as the pages write it, for text built in Python."""
    return _date(value, format)


def _time(value: time | None) -> str:
    return _clock_time(value, current_language()) if value else ""


@lru_cache(maxsize=4096)
def _clock_time(value: time, language: str) -> str:
    # A day has few distinct times (its slots), and a personal agenda writes each twice.
    return format_time(value, format="HH:mm", locale=babel_locale(language))


def _month(value: date) -> str:
    return format_date(value, format="LLLL yyyy", locale=babel_locale()).capitalize()


def option_tags(
    options: Iterable[tuple[Any, Any]], selected: Any, empty: Any = None, translate: bool = False
) -> Markup:
    """The ``<option>`` tags of a select, the one in ``selected`` chosen, every text escaped.

    Written in Python rather than in the form macro, and kept for the same options: a meetings
    grid renders a thousand selects of the same forty slots, and a template loop costs ten
    times as much per option.
    """
    chosen = None if selected is None else str(selected)
    key = (tuple(options), chosen, empty, translate, current_language())
    try:
        return _option_tags(*key)
    except TypeError:  # options that cannot be a key (lazy texts): rendered each time
        return _option_tags.__wrapped__(*key)


@lru_cache(maxsize=512)
def _option_tags(
    options: tuple[tuple[Any, Any], ...], chosen: str | None, empty: Any, translate: bool, _language: str
) -> Markup:
    tags = [] if empty is None else [f'<option value="">{escape(empty)}</option>']
    for value, text in options:
        shown = str(value)
        mark = " selected" if shown == chosen else ""
        label = gettext(text) if translate else text
        tags.append(f'<option value="{escape(shown)}"{mark}>{escape(label)}</option>')
    return Markup("\n".join(tags))  # noqa: S704 (every value and text escaped above)


@pass_eval_context
def _page_gettext(eval_ctx: EvalContext, message: str, /, **variables: Any) -> str:
    """What ``_("...")`` and ``{% trans %}`` give in a template, exactly as Jinja's newstyle
    gettext gives it (the text always a format string, its values escaped where the template
    escapes), in one call instead of four: a page says a hundred texts, most without values."""
    translated = gettext(message)
    if not eval_ctx.autoescape:
        return translated % variables
    if variables:
        return Markup(translated) % variables  # noqa: S704 (the values are escaped by %)
    return _markup_alone(translated)


@lru_cache(maxsize=4096)
def _markup_alone(text: str) -> Markup:
    return Markup(text) % {}  # noqa: S704 (a translated text, with no values to escape)


@lru_cache
def environment() -> Environment:
    settings = get_settings()
    env = Environment(
        loader=FileSystemLoader(str(settings.templates_dir)),
        # Compiled once per process; only a developer editing templates needs them re-read.
        auto_reload=settings.environment == "development",
        autoescape=select_autoescape(["html", "xml", "svg"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext
    )
    env.globals.update(gettext=_page_gettext, _=_page_gettext)
    env.filters.update(date=_date, time=_time, month=_month, country=country_phrase)
    env.globals.update(
        localized=localized,
        current_language=current_language,
        LANGUAGES=LANGUAGES,
        label=label,
        audit_action=audit_action,
        option_tags=option_tags,
    )
    return env


# The session cookie's name; pages only look at its presence to offer "My area" and sign-out.
SESSION_COOKIE = "roadshow_session"


def render(
    request: Request, template: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    return HTMLResponse(render_fragment(request, template, context), status_code=status)


def render_fragment(request: Request, template: str, context: dict[str, Any] | None = None) -> Markup:
    """A template rendered for this request, as markup another page may hold."""
    page = environment().get_template(template)
    values = {
        "request": request,
        "lang": current_language(),
        # Signed once per page, however many forms it holds.
        "csrf_input": cache(lambda: csrf_input(request)),
        "signed_in": SESSION_COOKIE in request.cookies,
        "current_user": getattr(request.state, "user", None),
        **(context or {}),
    }
    return Markup(page.render(values))  # noqa: S704  (rendered with autoescape)
