"""The write side of scoring: a round's results (DataFrames whose columns are the fields of
reports/models.py) into their tables with `COPY`, inside the caller's transaction, writing only
the rows that changed (reads of the stored rows go through reports/scoring/reads.copy_out)."""

from __future__ import annotations

import io

import pandas as pd
from django.db import connection

from reports.scoring.reads import copy_out


def _csv_value(frame: pd.DataFrame, column: str) -> pd.Series:
    """Columns go to CSV as they are: to_csv writes floats with repr precision (a rescore
    writes identical values) and missing values as empty fields, which COPY reads as NULL
    (and as '' for the text columns listed in FORCE_NOT_NULL)."""
    series = frame[column]
    if pd.api.types.is_bool_dtype(series):
        return series.map({True: "t", False: "f"})
    return series


def copy_in(model, frame: pd.DataFrame, constants: dict) -> int:
    """Bulk-writes `frame` (columns named like the model's fields, plus constant columns such
    as the round) with COPY FROM STDIN; empty strings are NULL, so text columns are written
    as quoted values that are never empty (blank text goes in as FORCE_NOT_NULL)."""
    if frame.empty:
        return 0
    columns, text_columns = [], []
    data = {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        name = field.attname
        source = name if name in frame.columns else field.name
        if field.name in constants or name in constants:
            value = constants.get(field.name, constants.get(name))
            data[field.column] = value
        elif source in frame.columns:
            data[field.column] = _csv_value(frame, source)
        else:
            continue
        columns.append(field.column)
        if field.get_internal_type() in ("CharField", "TextField"):
            text_columns.append(field.column)
    table = pd.DataFrame(data, index=frame.index)[columns]
    buffer = io.StringIO()
    table.to_csv(buffer, index=False, header=False)
    buffer.seek(0)
    column_list = ", ".join(f'"{column}"' for column in columns)
    not_null = ", ".join(f'"{column}"' for column in text_columns)
    options = "FORMAT csv" + (f", FORCE_NOT_NULL ({not_null})" if not_null else "")
    with connection.cursor() as cursor:
        cursor.copy_expert(
            f'COPY "{model._meta.db_table}" ({column_list}) FROM STDIN WITH ({options})', buffer
        )
    return len(table)


def _stored_columns(model, frame: pd.DataFrame, constants: dict) -> list[tuple[str, str, str]]:
    """(database column, frame column, field type) of the model fields the frame carries,
    in the order copy_in writes them; constant columns (the round) are left out."""
    columns = []
    for field in model._meta.concrete_fields:
        if field.primary_key or field.name in constants or field.attname in constants:
            continue
        source = field.attname if field.attname in frame.columns else field.name
        if source in frame.columns:
            columns.append((field.column, source, field.get_internal_type()))
    return columns


def _comparable(frame: pd.DataFrame, columns: list[tuple[str, str, str]]) -> pd.DataFrame:
    """The frame's stored columns in one spelling for both sides of the comparison: text as
    text ('' for missing), booleans as 't'/'f', numbers as floats (NaN matches NaN)."""
    comparable = {}
    for _, source, kind in columns:
        series = frame[source]
        if kind in ("CharField", "TextField"):
            comparable[source] = series.fillna("").astype(str)
        elif kind == "BooleanField":
            comparable[source] = series.map({True: "t", False: "f", "t": "t", "f": "f"})
        else:
            comparable[source] = pd.to_numeric(series, errors="coerce").astype("float64")
    return pd.DataFrame(comparable, index=frame.index)


# A write of at least this many result rows refreshes the table's planner statistics.
ANALYZE_AFTER_ROWS = 1000


def replace_changed(
    model, frame: pd.DataFrame, constants: dict, *, round_id: int
) -> tuple[int, int]:
    """Makes the round's rows of `model` equal to `frame`, writing only what differs: rows no
    longer produced (or changed) are deleted, rows not yet stored are copied in. The outcome is
    the same as DELETE + COPY of everything, but a rescore after a few submissions rewrites a
    few thousand rows instead of the round's hundreds of thousands. Returns (deleted, inserted).

    Equality is on every stored column; floats come back exactly (PostgreSQL prints the
    shortest exact form, which pandas reads back exactly), so an unchanged row matches."""
    table = model._meta.db_table
    if frame is None or frame.empty:
        with connection.cursor() as cursor:
            cursor.execute(f'DELETE FROM "{table}" WHERE round_id = %s', [round_id])  # noqa: S608
            return cursor.rowcount, 0
    columns = _stored_columns(model, frame, constants)
    select = ", ".join(f'"{column}" AS "{source}"' for column, source, _ in columns)
    stored = copy_out(
        f'SELECT id AS "__id", {select} FROM "{table}" WHERE round_id = %s',  # noqa: S608
        [round_id],
        {source: "object" for _, source, kind in columns if kind in ("CharField", "TextField")},
    )
    names = [source for _, source, _ in columns]
    new = _comparable(frame, columns)
    old = _comparable(stored, columns)
    old["__id"] = stored["__id"]
    # Rows of the table that the new results no longer contain exactly: delete them.
    kept = old.merge(new.drop_duplicates(), on=names, how="left", indicator=True)
    stale_ids = kept.loc[kept["_merge"] == "left_only", "__id"].astype("int64").tolist()
    # Rows of the results not stored exactly: copy them in.
    wanted = new.reset_index(names="__row").merge(
        old[names].drop_duplicates(), on=names, how="left", indicator=True
    )
    fresh_rows = wanted.loc[wanted["_merge"] == "left_only", "__row"]
    if stale_ids:
        with connection.cursor() as cursor:
            cursor.execute(f'DELETE FROM "{table}" WHERE id = ANY(%s)', [stale_ids])  # noqa: S608
    inserted = copy_in(model, frame.loc[fresh_rows], constants) if len(fresh_rows) else 0
    if len(stale_ids) + inserted >= ANALYZE_AFTER_ROWS:
        # Fresh statistics for the dashboards' reads: with stale ones (a first scoring, or a
        # server whose autovacuum is off or behind) PostgreSQL scanned a whole round's
        # aggregates to find 18 provinces (33 ms instead of 0.1 ms on the national round).
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{table}"')
    return len(stale_ids), inserted
