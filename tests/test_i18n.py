"""Every message the app shows has an Italian translation, and languages are negotiated well."""

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from jinja2 import Environment

from app import web
from app.config import ROOT
from app.i18n import LOCALE_DIR, gettext, negotiate, ngettext, npgettext, pgettext, set_language
from app.web import environment

METHODS = [("app/**.py", "python"), ("templates/**.html", "jinja2"), ("templates/**.txt", "jinja2")]
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "lazy": None,
    "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "lazy_p": ((1, "c"), 2),
}


def _italian_catalogue() -> dict[tuple[str | None, str], object]:
    """Translations by (context, msgid); a plural message is keyed by its singular."""
    translations: dict[tuple[str | None, str], object] = {}
    for po_file in (LOCALE_DIR / "it" / "LC_MESSAGES").glob("*.po"):
        with po_file.open("rb") as handle:
            for message in read_po(handle, locale="it"):
                if message.id:
                    key = message.id if isinstance(message.id, str) else message.id[0]
                    translations[(message.context, key)] = message.string
    return translations


def test_every_message_has_an_italian_translation() -> None:
    catalogue = _italian_catalogue()
    missing = []
    for filename, _lineno, message, _comments, context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, callback=None
    ):
        key = message if isinstance(message, str) else message[0]
        found = catalogue.get((context, key))
        if not found or (isinstance(found, tuple | list) and not all(found)):
            missing.append(f"{filename}: {key!r}" + (f" (context {context!r})" if context else ""))
    assert not missing, "add these to app/locale/it/LC_MESSAGES/<area>.po:\n" + "\n".join(missing)


def test_cookie_wins_over_accept_language_and_default_is_italian() -> None:
    assert negotiate("en", "it-IT", "it") == "en"
    assert negotiate(None, "fr-FR, en;q=0.5, it;q=0.7", "it") == "it"
    assert negotiate(None, "de-DE", "it") == "it"
    assert negotiate("xx", None, "it") == "it"


def test_areas_never_translate_the_same_message_differently() -> None:
    """Catalogues are merged into one: a message translated two ways would show either."""
    seen: dict[tuple[str | None, object], tuple[str, object]] = {}
    clashes = []
    for po_file in sorted((LOCALE_DIR / "it" / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as handle:
            for message in read_po(handle, locale="it"):
                if not message.id:
                    continue
                key = (message.context, message.id if isinstance(message.id, str) else message.id[0])
                if key in seen and seen[key][1] != message.string:
                    first, translation = seen[key]
                    clashes.append(f"{key!r}: {first} {translation!r} / {po_file.name} {message.string!r}")
                seen.setdefault(key, (po_file.name, message.string))
    assert not clashes, "\n".join(clashes)


TEXTS = [
    '{{ _("Requests") }}',
    '{{ _("Table %(table)d", table=3) }}',
    '{{ _("%(who)s: new meeting at %(start)s, table %(table)d", who=name, start="09:30", table=2) }}',
    "{% trans %}Requests{% endtrans %}",
    "{% trans who=name %}Hello {{ who }}{% endtrans %}",
    '{{ _("100%% of the seats") }}',
    '{{ _("%(message)s", message=name) }}',
]


def test_templates_translate_exactly_as_jinjas_own_newstyle_gettext_in_both_escape_modes() -> None:
    ours = environment()
    assert ours.globals["_"] is ours.globals["gettext"] is web._page_gettext
    stock = Environment(extensions=["jinja2.ext.i18n"])
    stock.install_gettext_callables(  # type: ignore[attr-defined]
        gettext, ngettext, newstyle=True, pgettext=pgettext, npgettext=npgettext
    )
    set_language("it")
    for autoescape in (True, False):
        stock.autoescape = autoescape
        for text in TEXTS:
            values = {"name": "<b>Rossi & figli</b>"}
            expected = stock.from_string(text).render(values)
            got = ours.overlay(autoescape=autoescape).from_string(text).render(values)
            assert got == expected, (text, autoescape)
    assert "&lt;b&gt;" in ours.overlay(autoescape=True).from_string(TEXTS[4]).render({"name": "<b>"})
    assert ours.overlay(autoescape=False).from_string(TEXTS[4]).render({"name": "<b>"}) == "Hello <b>"
