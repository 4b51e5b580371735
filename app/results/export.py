"""Every results table as CSV for Italian Excel or as XLSX.

The CSV is UTF-8 with a BOM (so that Excel reads accents), semicolon-separated with decimal
commas, as Excel reads a CSV file in an Italian locale; XLSX cells keep their numeric type.
"""

import csv
import io
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

from app.results.service import Table


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow(table.headers)
    writer.writerows([[_csv_value(value) for value in row] for row in table.rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_value(value: Any) -> Any:
    return str(value).replace(".", ",") if isinstance(value, float) else value


def to_xlsx(table: Table) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    # Sheet names are at most 31 characters and may not hold a few punctuation marks.
    sheet.title = "".join(ch for ch in table.title if ch not in "[]:*?/\\")[:31]
    sheet.append(table.headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(row)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, float):
                cell.number_format = "0.0"
    for index, header in enumerate(table.headers, start=1):
        width = max([len(str(header)), *(len(str(row[index - 1])) for row in table.rows)])
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = min(width + 2, 60)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
