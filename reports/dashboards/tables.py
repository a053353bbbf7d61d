"""A panel's data table as a file: CSV in UTF-8 with a byte-order mark (so Excel opens Lao
text correctly) or XLSX (frozen header, filter, readable widths, numbers as numbers, any text
that looks like a formula written as text)."""

from __future__ import annotations

import csv
import io

import numpy as np
import xlsxwriter
from django.http import Http404, HttpResponse

from reports.dashboards.panels import Panel

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cell(value):
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def panel_csv(panel: Panel) -> bytes:
    """The table as CSV, UTF-8 with BOM; an empty field where there is no data."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(panel.headers)
    frame = panel.download_frame()
    for record in frame.itertuples(index=False):
        writer.writerow(["" if _cell(v) is None else _cell(v) for v in record])
    return buffer.getvalue().encode("utf-8-sig")


def panel_xlsx(panel: Panel) -> bytes:
    """The table as one XLSX sheet; numbers stay numbers, text is always written as text."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet(panel.name[:31])
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    frame = panel.download_frame()
    for column, header in enumerate(panel.headers):
        sheet.write_string(0, column, str(header), bold)
        width = max([len(str(header))] + [len(str(v)) for v in frame.iloc[:200, column]])
        sheet.set_column(column, column, min(60, max(10, width + 2)))
    for row, record in enumerate(frame.itertuples(index=False), start=1):
        for column, value in enumerate(record):
            value = _cell(value)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                sheet.write_string(row, column, str(value))
            else:
                sheet.write_number(row, column, value)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(1, len(frame)), max(0, len(panel.headers) - 1))
    book.close()
    return buffer.getvalue()


def table_response(panel: Panel, stem: str, fmt: str) -> HttpResponse:
    if fmt == "csv":
        response = HttpResponse(panel_csv(panel), content_type="text/csv; charset=utf-8")
    elif fmt == "xlsx":
        response = HttpResponse(panel_xlsx(panel), content_type=XLSX)
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response
