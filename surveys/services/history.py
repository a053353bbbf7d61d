"""The first audit record of rows written in bulk.

django-simple-history writes a historical record when a row is saved through the ORM; rows
written in bulk (the demo and benchmark seed by COPY, `bulk_create`) have none, so the first
change of such an answer would show no value before it, its removal by skip logic would not
show at all, and the response's first record would read as created by whoever changed it
first. `history_baseline` is the one place that gives those rows their record: a creation
('+') dated when the row was last written, by the system, with a reason naming where the row
came from."""

from __future__ import annotations

from django.db import connection
from django.db.models import Model

from surveys.models import Answer, Response

# history_change_reason of the records written here, shown in the history of a response.
SEEDED = "seeded"
# history_change_reason of the rows an import writes (surveys/services/imports.py).
IMPORTED = "import"
# history_change_reason of an answer deleted because skip logic no longer asks its question.
HIDDEN = "skip logic"


def _baseline_sql(model: type[Model], where: str) -> str:
    """INSERT ... SELECT of a '+' record for every row of `model` matching `where` (SQL over
    the alias `row`) that has no historical record yet."""
    historical = model.history.model
    columns = [
        field.column
        for field in historical._meta.concrete_fields
        if not field.name.startswith("history_")
    ]
    date_column = "updated_at" if any(c == "updated_at" for c in columns) else "now()"
    source = ", ".join(f'row."{column}"' for column in columns)
    target = ", ".join(f'"{column}"' for column in columns)
    # Every name comes from the models' own metadata; the values are parameters.
    return (
        f'INSERT INTO "{historical._meta.db_table}" ({target}, history_date, history_type, '  # noqa: S608
        "history_change_reason, history_user_id) "
        f"SELECT {source}, row.{date_column}, '+', %s, NULL "
        f'FROM "{model._meta.db_table}" AS row WHERE {where} AND NOT EXISTS '
        f'(SELECT 1 FROM "{historical._meta.db_table}" AS h WHERE h.id = row.id)'
    )


def history_baseline(*, response_ids: list[int], reason: str = SEEDED) -> tuple[int, int]:
    """Writes the creation record of each of these responses and of each of their answers
    that has no historical record yet (two INSERT ... SELECT statements, whatever the number
    of rows). Returns (responses, answers) records written; rows that already have history
    are left alone, so calling it twice writes nothing the second time."""
    if not response_ids:
        return 0, 0
    written = []
    with connection.cursor() as cursor:
        for model, column in ((Response, "id"), (Answer, "response_id")):
            cursor.execute(
                _baseline_sql(model, f'row."{column}" = ANY(%s)'), [reason, list(response_ids)]
            )
            written.append(cursor.rowcount)
    return written[0], written[1]
