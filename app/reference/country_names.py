"""Country names with their article and preposition, from one place.

Italian says "gli Stati Uniti", "degli Stati Uniti", "negli Stati Uniti", "dell'India": the
article depends on the name's gender, number and first letters, which no library knows. The
prospect countries and a few exceptions are written down; other names follow the usual rule
(a feminine name ends in -a, a plural one in -i or -e). English needs "the" for a few names.
"""

from typing import Literal

from app.i18n import current_language

Preposition = Literal["", "di", "in", "a", "da"]

# Article of each name in Italian; "" for names that take none ("di Israele", "a Singapore").
ITALIAN_ARTICLES = {
    "US": "gli",
    "DE": "la",
    "IN": "l'",
    "AE": "gli",
    "FR": "la",
    "CA": "il",
    "BR": "il",
    "ES": "la",
    "CN": "la",
    "SA": "l'",
    "GB": "il",
    "NL": "i",
    "PH": "le",
    "MX": "il",
    "JP": "il",
    "IL": "",
    "SG": "",
    "HK": "",
    "MT": "",
    "CY": "",
    "CU": "",
    "MC": "",
    "SM": "",
}
# "in Germania", "in India", "in Canada", but "negli Stati Uniti" and, for composite names, "nel
# Regno Unito": "in" takes the article with plural names and with these.
IN_WITH_ARTICLE = {"GB", "CZ", "DO", "CF", "VA"}
ENGLISH_WITH_THE = {"US", "AE", "GB", "NL", "PH", "CZ", "DO", "BS", "GM", "VA", "CF", "KM", "MV", "SC"}

_ARTICLES = ("il", "lo", "la", "l'", "i", "gli", "le")
_CONTRACTIONS = {
    preposition: dict(zip(_ARTICLES, forms.split(), strict=True))
    for preposition, forms in {
        "di": "del dello della dell' dei degli delle",
        "in": "nel nello nella nell' nei negli nelle",
        "a": "al allo alla all' ai agli alle",
        "da": "dal dallo dalla dall' dai dagli dalle",
    }.items()
}
_NO_ARTICLE = {"di": "di", "in": "in", "a": "a", "da": "da"}
_VOWELS = "aeiouAEIOUÀÈÉÌÒÙ"


def italian_article(code: str, name: str) -> str:
    """The definite article of an Italian country name: a table first, then the rule."""
    if code.upper() in ITALIAN_ARTICLES:
        return ITALIAN_ARTICLES[code.upper()]
    words = name.split() or [name]
    first_word = words[0]
    starts_hard = first_word[:1] in "zZxXyY" or (first_word[:1] in "sS" and first_word[1:2] not in _VOWELS)
    if first_word.endswith("i"):
        return "gli" if first_word[:1] in _VOWELS or starts_hard else "i"
    if len(words) > 1 and first_word.endswith("e") and words[-1].endswith("e"):
        return "le"  # "le Isole Salomone"
    if name[:1] in _VOWELS:
        return "l'"
    if first_word.endswith("a"):
        return "la"
    return "lo" if starts_hard else "il"


def _join(article: str, name: str) -> str:
    return f"{article}{name}" if article.endswith("'") else f"{article} {name}"


def italian_name(code: str, name: str, preposition: Preposition = "") -> str:
    """ "gli Stati Uniti", "degli Stati Uniti" (di), "negli Stati Uniti" (in), "in India"."""
    article = italian_article(code, name)
    if not article:
        return _join(_NO_ARTICLE[preposition], name) if preposition else name
    if not preposition:
        return _join(article, name)
    if preposition == "in" and article not in ("i", "gli", "le") and code.upper() not in IN_WITH_ARTICLE:
        return f"in {name}"
    return _join(_CONTRACTIONS[preposition][article], name)


def english_name(code: str, name: str, preposition: str = "") -> str:
    """ "the United States", "of the United States", "of Germany"."""
    named = f"the {name}" if code.upper() in ENGLISH_WITH_THE else name
    return f"{preposition} {named}" if preposition else named


_ENGLISH_PREPOSITIONS = {"": "", "di": "of", "in": "in", "a": "to", "da": "from"}


def country_phrase(country: object, preposition: Preposition = "") -> str:
    """A country row (``code``, ``name_it``, ``name_en``) with article and preposition, in the
    current language: ``country_phrase(us, "di")`` is "degli Stati Uniti" or "of the United States"."""
    code = str(getattr(country, "code", ""))
    if current_language() == "en":
        name = str(getattr(country, "name_en", "") or getattr(country, "name_it", ""))
        return english_name(code, name, _ENGLISH_PREPOSITIONS[preposition])
    return italian_name(code, str(getattr(country, "name_it", "")), preposition)
