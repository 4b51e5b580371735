"""A stop's B2B block as clock times: the one place that turns first slot, length and count into times.

Every page, email and calendar that shows when a meeting happens asks here, so a change of the
block (an earlier first slot, longer slots) moves every meeting the same way everywhere.
"""

from datetime import date, datetime, time, timedelta

from app.stops.models import Stop

_ANY_DAY = date(2000, 1, 1)


def _shifted(moment: time, minutes: int) -> time:
    return (datetime.combine(_ANY_DAY, moment) + timedelta(minutes=minutes)).time()


def slot_span(stop: Stop, slot_index: int) -> tuple[time, time]:
    """When slot ``slot_index`` (from 0) starts and ends."""
    first = stop.b2b_first_slot or stop.start_time
    start = _shifted(first, slot_index * stop.b2b_slot_minutes)
    return start, _shifted(start, stop.b2b_slot_minutes)


def slot_times(stop: Stop) -> list[time]:
    """Start times of the stop's B2B slots, in order (none until the block is set)."""
    if stop.b2b_first_slot is None or stop.b2b_slot_count < 1:
        return []
    return [slot_span(stop, index)[0] for index in range(stop.b2b_slot_count)]


def has_slot(stop: Stop, slot_index: int) -> bool:
    """Whether the block has slot ``slot_index``: what ``slot_index < len(slot_times(stop))``
    says, without working out every slot's time (a grid asks once per meeting)."""
    return stop.b2b_first_slot is not None and slot_index < stop.b2b_slot_count


def slot_labels(stop: Stop) -> list[str]:
    """The slots' start times as ``HH:MM``, the names forms and schedules use for slots."""
    return [moment.strftime("%H:%M") for moment in slot_times(stop)]


def b2b_window(stop: Stop) -> tuple[time, time] | None:
    """When the stop's B2B meetings run: from the first slot to the end of the last one."""
    if stop.b2b_first_slot is None or stop.b2b_slot_count < 1:
        return None
    return stop.b2b_first_slot, slot_span(stop, stop.b2b_slot_count - 1)[1]
