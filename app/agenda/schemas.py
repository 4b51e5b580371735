"""What the agenda builder's form sends, before the service checks it."""

from dataclasses import dataclass, field


@dataclass
class NamedSpeaker:
    """A company speaker or an association official, named by hand."""

    name: str = ""
    affiliation: str = ""
    to_confirm: bool = False


@dataclass
class ItemInput:
    kind: str = ""
    starts_at: str = ""
    ends_at: str = ""
    title_it: str = ""
    title_en: str = ""
    description_it: str = ""
    description_en: str = ""
    room: str = ""
    representative_ids: list[int] = field(default_factory=list)
    named_speakers: list[NamedSpeaker] = field(default_factory=list)
