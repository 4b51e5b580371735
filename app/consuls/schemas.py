"""What organisers and representatives send: raw form values, checked by the services.

Each is the form model its page reads (``Annotated[ConsulateInput, Form()]``).
"""

from pydantic import ConfigDict, Field

from app.forms import FormModel


class ConsulateInput(FormModel):
    country_code: str = ""
    kind: str = ""
    name_it: str = ""
    name_en: str = ""
    address: str = ""
    website: str = ""


class RepresentativeInput(FormModel):
    name: str = ""
    title: str = ""
    email: str = ""
    # Comma-separated ISO 639-1 codes, as typed in the form or the CSV ("en, it").
    languages: str = ""
    preferred_language: str = "en"


class ConfirmationInput(FormModel):
    """A representative's confirmation with their B2B availability for the stop."""

    slots: list[str] = Field(default_factory=list)
    max_meetings: str = ""
    sectors: list[str] = Field(default_factory=list)
    topics: str = ""


class DelegateInput(FormModel):
    """The colleague named in one's place; the form's fields carry a ``delegate_`` prefix."""

    model_config = ConfigDict(extra="ignore", populate_by_name=True)

    name: str = Field("", alias="delegate_name")
    title: str = Field("", alias="delegate_title")
    email: str = Field("", alias="delegate_email")
    preferred_language: str = Field("en", alias="delegate_language")
