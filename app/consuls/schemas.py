"""What organisers and representatives send: raw form values, checked by the services."""

from dataclasses import dataclass, field


@dataclass
class ConsulateInput:
    country_code: str = ""
    kind: str = ""
    name_it: str = ""
    name_en: str = ""
    address: str = ""
    website: str = ""


@dataclass
class RepresentativeInput:
    name: str = ""
    title: str = ""
    email: str = ""
    # Comma-separated ISO 639-1 codes, as typed in the form or the CSV ("en, it").
    languages: str = ""
    preferred_language: str = "en"


@dataclass
class ConfirmationInput:
    """A representative's confirmation with their B2B availability for the stop."""

    slots: list[str] = field(default_factory=list)
    max_meetings: str = ""
    sectors: list[str] = field(default_factory=list)
    topics: str = ""


@dataclass
class DelegateInput:
    name: str = ""
    title: str = ""
    email: str = ""
    preferred_language: str = "en"
