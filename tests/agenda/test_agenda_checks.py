from datetime import time

from app.agenda.checks import PlannedItem, StopFrame, check_item, pending_speakers, problems, warnings
from app.agenda.models import AgendaItemKind

FRAME = StopFrame(
    start_time=time(9, 30),
    end_time=time(17, 30),
    b2b_start=time(14, 0),
    b2b_end=time(16, 0),
    b2b_description="6 slots of 20 minutes",
    representative_names={1: "Margaret Ellison", 2: "Klaus Weber"},
    confirmed_representatives=frozenset({1}),
)


def item(start: tuple[int, int], end: tuple[int, int], **values: object) -> PlannedItem:
    defaults: dict[str, object] = {
        "id": None,
        "kind": AgendaItemKind.KEYNOTE,
        "title": "Talk",
        "room": "Hall",
    }
    defaults.update(values)
    return PlannedItem(starts_at=time(*start), ends_at=time(*end), **defaults)  # type: ignore[arg-type]


def test_a_well_placed_item_passes() -> None:
    assert check_item(item((10, 0), (10, 30)), [item((10, 30), (11, 0), id=7)], FRAME) == {}


def test_overlap_in_the_same_room_is_reported_on_the_room() -> None:
    errors = check_item(item((10, 0), (10, 30)), [item((10, 15), (11, 0), id=7, title="Panel")], FRAME)
    assert "Panel" in errors["room"] and "10:15–11:00" in errors["room"]


def test_overlap_in_another_room_is_fine_unless_a_speaker_is_in_both() -> None:
    other = item((10, 15), (11, 0), id=7, room="Room B", representative_ids=frozenset({1}))
    assert check_item(item((10, 0), (10, 30)), [other], FRAME) == {}
    errors = check_item(item((10, 0), (10, 30), representative_ids=frozenset({1})), [other], FRAME)
    assert "Margaret Ellison" in errors["speakers"]


def test_named_speaker_in_two_places_is_reported() -> None:
    other = item((10, 15), (11, 0), id=7, room="Room B", speaker_names=frozenset({"mario bianchi"}))
    errors = check_item(item((10, 0), (10, 30), speaker_names=frozenset({"mario bianchi"})), [other], FRAME)
    assert "mario bianchi" in errors["speakers"]


def test_items_outside_the_stop_hours_are_reported_on_start_and_end() -> None:
    errors = check_item(item((9, 0), (18, 0)), [], FRAME)
    assert "09:30" in errors["starts_at"] and "17:30" in errors["ends_at"]


def test_end_before_start_is_reported() -> None:
    assert "ends_at" in check_item(item((11, 0), (10, 0)), [], FRAME)


def test_country_presentation_by_an_unconfirmed_representative_is_a_warning_not_a_problem() -> None:
    presentation = item(
        (11, 0), (11, 20), kind=AgendaItemKind.COUNTRY_PRESENTATION, representative_ids=frozenset({2})
    )
    assert check_item(presentation, [], FRAME) == {}
    assert pending_speakers(presentation, FRAME) == ["Klaus Weber: console non ancora confermato."]
    confirmed = item(
        (11, 0), (11, 20), kind=AgendaItemKind.COUNTRY_PRESENTATION, representative_ids=frozenset({1})
    )
    assert pending_speakers(confirmed, FRAME) == []
    panel = item((12, 0), (12, 30), representative_ids=frozenset({2}), pending_names=frozenset({"Ada Neri"}))
    assert [message for _item, message in warnings([panel, presentation], FRAME)] == [
        "Klaus Weber: console non ancora confermato.",
        "Klaus Weber: da confermare.",
        "Ada Neri: da confermare.",
    ]


def test_b2b_block_must_match_the_meeting_slots() -> None:
    assert check_item(item((14, 0), (16, 0), kind=AgendaItemKind.B2B_BLOCK), [], FRAME) == {}
    errors = check_item(item((14, 30), (16, 0), kind=AgendaItemKind.B2B_BLOCK), [], FRAME)
    assert "14:00" in errors["starts_at"] and "6 slots of 20 minutes" in errors["starts_at"]
    assert "ends_at" not in errors


def test_b2b_block_without_slots_on_the_stop_is_reported_on_the_kind() -> None:
    frame = StopFrame(start_time=time(9, 30), end_time=time(17, 30))
    assert "kind" in check_item(item((14, 0), (16, 0), kind=AgendaItemKind.B2B_BLOCK), [], frame)


def test_problems_lists_both_sides_of_a_clash() -> None:
    first, second = item((10, 0), (10, 30), id=1, title="A"), item((10, 0), (10, 30), id=2, title="B")
    assert [found.title for found, _ in problems([first, second], FRAME)] == ["A", "B"]
