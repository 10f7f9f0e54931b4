"""The dashboard's tables as CSV files for a French spreadsheet: ``;`` between cells, UTF-8
with a byte-order mark (Excel then reads the accents), numbers with a decimal comma, masked
cells as shown (« < 5 », « masqué »). One file per table, named after it; each starts with
the title, the period and the filters, then the header row."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from app.services.statistics.model import MASKING_NOTE, Dashboard, StatTable

ENCODING = "utf-8-sig"


def table_csv(table: StatTable, dashboard: Dashboard) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([table.title])
    writer.writerow([f"Période : {dashboard.period_label}"])
    writer.writerow([f"Activité : {dashboard.scope_label}"])
    writer.writerow([f"Motifs : {dashboard.category_label}"])
    writer.writerow([])
    writer.writerow([table.row_header, *table.columns])
    for row in table.rows:
        writer.writerow([row.label, *(v.csv_text() for v in row.values)])
    writer.writerow([])
    if table.note:
        writer.writerow([table.note])
    writer.writerow([MASKING_NOTE])
    return out.getvalue()


def write_tables(dashboard: Dashboard, folder: Path) -> list[Path]:
    """Write every table of ``dashboard`` into ``folder`` (created if needed)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for table in dashboard.tables():
        path = folder / f"{table.key}.csv"
        path.write_text(table_csv(table, dashboard), encoding=ENCODING, newline="")
        paths.append(path)
    return paths
