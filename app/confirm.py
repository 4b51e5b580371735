"""The one confirmation step before a destructive or broadcast action.

Such an action is a POST route; the GET route at the same path renders its confirmation: what
will happen and to whom, a button that posts to the action, and a way back. The page is built
from ``templates/_macros/confirm.html`` (``tests/test_confirmations.py`` holds every such action
to it), so no action depends on a JavaScript dialog.
"""

from dataclasses import dataclass, field

from fastapi import Request
from fastapi.responses import HTMLResponse

from app.web import render

MANAGE = "manage/confirm.html"
PUBLIC = "confirm.html"


@dataclass
class Confirmation:
    title: str
    subject: str  # what is acted on: a company at a stop, an agenda item...
    consequences: list[str]  # who is affected and how, one line each
    action: str  # the POST route
    button: str
    back_href: str
    back_label: str
    fields: dict[str, str] = field(default_factory=dict)  # hidden fields posted with the button
    danger: bool = True
    warning: str = ""  # said before the consequences, e.g. that the stop is not today


def page(
    request: Request, confirmation: Confirmation, *, template: str = MANAGE, **context: object
) -> HTMLResponse:
    return render(request, template, {"confirmation": confirmation, **context})
