"""Every results table as CSV or XLSX, written by ``app.exports`` (Italian Excel's CSV, typed XLSX)."""

from app import exports
from app.results.service import Table


def to_csv(table: Table) -> bytes:
    return exports.to_csv(table.headers, table.rows)


def to_xlsx(table: Table) -> bytes:
    return exports.to_xlsx(table.title, table.headers, table.rows)
