"""Chart geometry for server-rendered SVG: bars, a heatmap and the roadshow's timeline.

Pure functions from numbers to shapes; templates draw the shapes with presentation
attributes and classes only (the pages' CSP forbids inline styles).
"""

from dataclasses import dataclass, field
from datetime import date

LABEL_WIDTH = 170
BAR_AREA = 420
ROW_HEIGHT = 30


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    css: str
    value: int


@dataclass
class BarRow:
    label: str
    y: float
    bars: list[Bar] = field(default_factory=list)


@dataclass
class BarChart:
    width: int
    height: int
    rows: list[BarRow]
    series: list[str]


def bars(labels: list[str], series: list[tuple[str, list[int]]]) -> BarChart:
    """Horizontal bars, one row per label and one bar per series, scaled to the largest value."""
    top = max((v for _name, values in series for v in values), default=0) or 1
    bar_height = (ROW_HEIGHT - 8) / max(len(series), 1)
    rows = []
    for index, label in enumerate(labels):
        y = 10 + index * ROW_HEIGHT
        row = BarRow(label, y + ROW_HEIGHT / 2)
        for number, (_name, values) in enumerate(series):
            value = values[index]
            width = BAR_AREA * value / top
            css = "bar-a" if number == 0 else "bar-b"
            row.bars.append(
                Bar(LABEL_WIDTH, y + number * bar_height, round(width, 1), bar_height - 1, css, value)
            )
        rows.append(row)
    height = 20 + len(labels) * ROW_HEIGHT
    return BarChart(LABEL_WIDTH + BAR_AREA + 60, height, rows, [name for name, _values in series])


@dataclass
class Cell:
    x: int
    y: int
    fill: str
    value: int
    dark: bool


@dataclass
class Heatmap:
    width: int
    height: int
    cell: int
    rows: list[tuple[str, int]]
    columns: list[tuple[str, int]]
    cells: list[Cell]


def _blend(score: int, top: int) -> str:
    """From the page's wash (#f3f6f9) to the brand blue (#0b4f8a)."""
    share = score / top if top else 0
    low, high = (0xF3, 0xF6, 0xF9), (0x0B, 0x4F, 0x8A)
    return "#" + "".join(f"{round(a + (b - a) * share):02x}" for a, b in zip(low, high, strict=True))


def heatmap(
    row_labels: list[str], column_labels: list[str], values: list[list[int]], top: int = 5
) -> Heatmap:
    cell, left, head = 44, LABEL_WIDTH, 90
    cells = [
        Cell(left + c * cell, head + r * cell, _blend(value, top), value, value / top > 0.5 if top else False)
        for r, row in enumerate(values)
        for c, value in enumerate(row)
    ]
    return Heatmap(
        left + len(column_labels) * cell + 70,
        head + len(row_labels) * cell + 10,
        cell,
        [(label, head + r * cell + cell // 2) for r, label in enumerate(row_labels)],
        [(label, left + c * cell + cell // 2) for c, label in enumerate(column_labels)],
        cells,
    )


@dataclass
class Mark:
    x: float
    y: float
    label: str
    day: date
    css: str


@dataclass
class Timeline:
    width: int
    height: int
    axis_y: int
    months: list[tuple[float, date]]
    marks: list[Mark]


def timeline(stops: list[tuple[date, str, bool]], width: int = 760) -> Timeline:
    """Stops on a line of months, labels alternating above and below so that they do not collide."""
    if not stops:
        return Timeline(width, 60, 30, [], [])
    first = min(day for day, _label, _held in stops).replace(day=1)
    last = max(day for day, _label, _held in stops)
    months: list[date] = []
    cursor = first
    while cursor <= last:
        months.append(cursor)
        cursor = date(cursor.year + (cursor.month == 12), cursor.month % 12 + 1, 1)
    end = date(cursor.year, cursor.month, 1)
    span = (end - first).days or 1
    left, right, axis_y = 30, width - 30, 90

    def x_of(day: date) -> float:
        return round(left + (right - left) * (day - first).days / span, 1)

    marks = []
    for index, (day, label, held) in enumerate(sorted(stops)):
        lane = [-50, 50, -28, 28][index % 4]
        marks.append(Mark(x_of(day), axis_y + lane, label, day, "held" if held else "upcoming"))
    return Timeline(width, 180, axis_y, [(x_of(month), month) for month in months], marks)
