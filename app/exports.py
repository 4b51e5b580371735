"""Every table the organisers download, as CSV for Italian Excel or as XLSX with typed cells.

One writer for all exports (registrations, results, and whatever comes next): a caller gives a
header and rows of plain Python values, and this module decides how each value is written.

CSV, for Excel set to Italian, which opens a ``.csv`` file by double-click with no import dialog:

- the separator is the semicolon (Italian Excel's list separator; with commas every row lands
  in one column), and the file starts with a UTF-8 byte order mark, without which Excel reads
  accented letters as Windows-1252;
- dates are ``dd/mm/yyyy`` and datetimes are converted to Europe/Rome and written
  ``dd/mm/yyyy HH:MM``, as Excel in Italy parses them; decimals use the decimal comma;
- codes that look like numbers (VAT numbers, tax codes, postcodes: wrap them in ``Text``) are
  written after a tab character. Excel treats a field that does not start with a digit as text,
  so ``01234567890`` keeps its leading zero instead of becoming the number 1234567890 (and
  11-digit VAT numbers are not shown as ``1,23E+10``). We prefer the tab to the other known
  trick, ``="01234567890"``, because that one is a formula: other programs show it as written,
  and an export should not contain formulas. The tab is invisible in Excel; a program that
  reads the file as data only needs to strip the field;
- text starting with ``=``, ``+``, ``-`` or ``@`` gets a leading apostrophe, so that no cell a
  company typed runs as a formula (CSV injection).

XLSX keeps types: numbers as numbers, dates and datetimes (Europe/Rome, without zone, since
Excel has none) as dates with an Italian display format, ``Text`` values as text cells
(format ``@``), everything else as text.

Enum codes are never written as such: callers pass ``app.labels.label(value, kind)``.
"""

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal

from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.styles import Font

from app.clock import ROME

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
MAX_CELL = 32767  # Excel's limit on the characters of one cell
FORMULA_STARTS = ("=", "+", "-", "@")


class Text(str):
    """A code that must stay text in a spreadsheet (a VAT number, a tax code): ``Text("0123")``."""

    __slots__ = ()


Cell = str | int | float | Decimal | date | datetime | None
Row = Sequence[Cell]


def _local(moment: datetime) -> datetime:
    """The moment in Rome: stored datetimes are UTC (a naive one is taken as UTC)."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(ROME)


def _safe_text(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_value(value: Cell) -> str:
    """One cell as Italian Excel reads it in a CSV file."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Text):
        return "\t" + value
    if isinstance(value, datetime):
        return _local(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float | Decimal):
        return str(value).replace(".", ",")
    return _safe_text(str(value))


def to_csv(header: Sequence[str], rows: Iterable[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow([_safe_text(str(name)) for name in header])
    for row in rows:
        writer.writerow([csv_value(value) for value in row])
    return buffer.getvalue().encode("utf-8-sig")


def _sheet_title(title: str) -> str:
    # Sheet names are at most 31 characters and may not hold a few punctuation marks.
    return "".join(ch for ch in title if ch not in "[]:*?/\\")[:31] or "Sheet"


def to_xlsx(title: str, header: Sequence[str], rows: Iterable[Row]) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = _sheet_title(title)
    sheet.append([_safe_text(str(name)) for name in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    widths = [len(str(name)) for name in header]
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_number, column=column)
            if isinstance(value, Text):
                cell.value = str(value)
                cell.number_format = "@"
            elif isinstance(value, datetime):
                cell.value = _local(value).replace(tzinfo=None)
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(value, date):
                cell.value = value
                cell.number_format = "dd/mm/yyyy"
            elif isinstance(value, int | float | Decimal) and not isinstance(value, bool):
                cell.value = value
            elif value is not None:
                cell.value = _safe_text(str(value))[:MAX_CELL]
            if column <= len(widths):
                widths[column - 1] = max(widths[column - 1], len(str(cell.value or "")))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=column).column_letter].width = min(width + 2, 60)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _attachment(filename: str) -> dict[str, str]:
    return {"Content-Disposition": f'attachment; filename="{filename}"'}


def csv_response(filename: str, header: Sequence[str], rows: Iterable[Row]) -> Response:
    """A download of ``rows`` under ``header`` as ``filename`` (ending in ``.csv``)."""
    return Response(to_csv(header, rows), media_type=CSV_MEDIA_TYPE, headers=_attachment(filename))


def xlsx_response(filename: str, title: str, header: Sequence[str], rows: Iterable[Row]) -> Response:
    """A download of ``rows`` under ``header`` as ``filename`` (``.xlsx``), one sheet named ``title``."""
    return Response(to_xlsx(title, header, rows), media_type=XLSX_MEDIA_TYPE, headers=_attachment(filename))
