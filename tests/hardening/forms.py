"""Fill in an HTML form as a browser would: every field with the value the page gives it."""

from html.parser import HTMLParser

TEXT_TYPES = {
    "text",
    "email",
    "hidden",
    "number",
    "date",
    "time",
    "datetime-local",
    "url",
    "tel",
    "search",
    "",
}


class FormReader(HTMLParser):
    """The fields of the form posting to ``action``, as (name, value) pairs a browser would send."""

    def __init__(self, action: str) -> None:
        super().__init__(convert_charrefs=True)
        self.action = action
        self.inside = False
        self.found = False
        self.fields: list[tuple[str, str]] = []
        self._select: str | None = None
        self._select_first: str | None = None
        self._select_chosen = False
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.inside = attributes.get("action") == self.action
            self.found = self.found or self.inside
            return
        if not self.inside:
            return
        name = attributes.get("name")
        if tag == "input" and name:
            kind = attributes.get("type", "text").lower()
            if kind in TEXT_TYPES or (kind in {"checkbox", "radio"} and "checked" in attributes):
                self.fields.append((name, attributes.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_first, self._select_chosen = name, None, False
        elif tag == "option" and self._select is not None:
            value = attributes.get("value", "")
            if self._select_first is None:
                self._select_first = value
            if "selected" in attributes and not self._select_chosen:
                self._select_chosen = True
                self.fields.append((self._select, value))
        elif tag == "textarea" and name:
            self._textarea, self._text = name, []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select is not None:
            if not self._select_chosen and self._select_first is not None:
                self.fields.append((self._select, self._select_first))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text)))
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)


def form_fields(html: str, action: str) -> list[tuple[str, str]]:
    reader = FormReader(action)
    reader.feed(html)
    assert reader.found, f"no form posting to {action}"
    return reader.fields


def filled(fields: list[tuple[str, str]], values: dict[str, str | list[str]]) -> list[tuple[str, str]]:
    """The form's own fields with ``values`` put in their place (a list sets every value of a name)."""
    kept = [(k, v) for k, v in fields if k not in values]
    for name, value in values.items():
        kept += [(name, v) for v in value] if isinstance(value, list) else [(name, value)]
    return kept
