"""One collector of field problems, and one way to read an HTML form.

Services gather what is wrong with their input in ``Problems``, one message per field, and
raise them all at once as ``InvalidInput``: a page shows the form again with each message
beside its field (422), the API answers 422 with the same messages. Pages read their forms
as FastAPI form models (``Annotated[SomeForm, Form()]``) built on ``FormModel``, whose
fields are text as the browser sends it, so that reading never fails and the checks, with
their messages, stay in the service.
"""

from typing import Any

from pydantic import BaseModel, ConfigDict

from app.errors import InvalidInput


class Problems(dict[str, str]):
    """Field name -> message; several problems of one field are shown together."""

    def add(self, field: str, message: str) -> None:
        self[field] = f"{self[field]} {message}" if field in self else message

    def check(self, location: str = "body") -> None:
        """Raise every problem found so far, if there is any."""
        if self:
            raise InvalidInput(dict(self), location=location)


class FormModel(BaseModel):
    """A submitted HTML form, as the browser sent it; fields the form does not name (such as
    the CSRF token) are ignored. Fields are text with a default, so reading never refuses a
    form: the service checks the values and says what is wrong with each."""

    model_config = ConfigDict(extra="ignore")

    def values(self, *, exclude: set[str] | None = None) -> dict[str, Any]:
        """The submitted values, to show the form again as it was filled in."""
        return self.model_dump(exclude=exclude)
