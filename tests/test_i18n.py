"""Every message the app shows has an Italian translation, and languages are negotiated well."""

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from app.config import ROOT
from app.i18n import LOCALE_DIR, negotiate

METHODS = [("app/**.py", "python"), ("templates/**.html", "jinja2")]
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy": None}


def _italian_catalogue() -> dict[object, object]:
    translations: dict[object, object] = {}
    for po_file in (LOCALE_DIR / "it" / "LC_MESSAGES").glob("*.po"):
        with po_file.open("rb") as handle:
            for message in read_po(handle, locale="it"):
                if message.id:
                    translations[message.id] = message.string
    return translations


def test_every_message_has_an_italian_translation() -> None:
    catalogue = _italian_catalogue()
    missing = []
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), METHODS, keywords=KEYWORDS, callback=None
    ):
        key = message if isinstance(message, str) else message[0]
        found = next((v for k, v in catalogue.items() if (k if isinstance(k, str) else k[0]) == key), None)
        if not found or (isinstance(found, tuple) and not all(found)):
            missing.append(f"{filename}: {key!r}")
    assert not missing, "add these to app/locale/it/LC_MESSAGES/<area>.po:\n" + "\n".join(missing)


def test_cookie_wins_over_accept_language_and_default_is_italian() -> None:
    assert negotiate("en", "it-IT", "it") == "en"
    assert negotiate(None, "fr-FR, en;q=0.5, it;q=0.7", "it") == "it"
    assert negotiate(None, "de-DE", "it") == "it"
    assert negotiate("xx", None, "it") == "it"


def test_areas_never_translate_the_same_message_differently() -> None:
    """Catalogues are merged into one: a message translated two ways would show either."""
    seen: dict[object, tuple[str, object]] = {}
    clashes = []
    for po_file in sorted((LOCALE_DIR / "it" / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as handle:
            for message in read_po(handle, locale="it"):
                if not message.id:
                    continue
                if message.id in seen and seen[message.id][1] != message.string:
                    first, translation = seen[message.id]
                    clashes.append(f"{message.id!r}: {first} {translation!r} / {po_file.name} {message.string!r}")
                seen.setdefault(message.id, (po_file.name, message.string))
    assert not clashes, "\n".join(clashes)
