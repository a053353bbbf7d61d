"""The property of issue 9's "Done means": whatever a user puts in a small spreadsheet (Lao text,
NUL, zero-width characters, formula-looking text, numbers in many spellings), the importers
either store exactly what was meant or store nothing and return problems with line numbers;
never a server error, never a partial write. Bounded so the suite stays fast."""

import io
import re
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from organisations.models import Organisation
from organisations.services import organisations_import
from readiness.identifiers import label_clean
from surveys.models import Answer
from surveys.services.imports import ImportFailed, responses_import
from tests.organisations.conftest import reference  # noqa: F401
from tests.surveys.test_import_responses import HEADER, kobo_row, setup  # noqa: F401

pytestmark = pytest.mark.django_db

PROPERTY = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
LAO_DIGITS = "໐໑໒໓໔໕໖໗໘໙"
AWKWARD = ["\x00", "\u200b", "\u200e", "\u00a0", "\ufeff", "=SUM(A1:A2)", "+1", "-", "@x", "1,2,3"]
cell_text = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12),
    st.text(alphabet="ກຂຄງຈສຊຍດຕຖທນບປຜຝພຟມຢຣລວຫອຮະາິີຶືຸູເແໂໃໄ່້໊໋ໍ ", max_size=12),
    st.sampled_from(AWKWARD),
    st.builds(lambda a, b: a + b, st.sampled_from(AWKWARD), st.text(max_size=5)),
)


class Rollback(Exception):
    """Undoes one example's writes, so every example starts from the same tree."""


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def spelled(number: int) -> st.SearchStrategy[tuple[str, int]]:
    return st.sampled_from(
        [
            str(number),
            f"{number:,}",
            f" {number} ",
            str(number).translate(str.maketrans("0123456789", LAO_DIGITS)),
        ]
    ).map(lambda text: (text, number))


@PROPERTY
@given(
    names=st.lists(st.tuples(cell_text, cell_text), min_size=1, max_size=4),
    as_workbook=st.booleans(),
)
def test_the_organisation_import_stores_what_was_meant_or_nothing(reference, names, as_workbook):  # noqa: F811
    header = ["code", "parent_code", "kind", "name_lo", "name_en"]
    rows = [
        [f"LA0101{index + 900}", "LA0101", "village", lo, en]
        for index, (lo, en) in enumerate(names)
    ]
    if as_workbook:
        try:
            data = xlsx([header, *rows])
        except IllegalCharacterError:  # openpyxl cannot write a NUL: the CSV examples carry it
            return
    else:
        import csv

        buffer = io.StringIO()
        csv.writer(buffer).writerows([header, *rows])
        data = buffer.getvalue().encode("utf-8")
    before = Organisation.objects.count()
    try:
        with transaction.atomic():
            report = organisations_import(rows_or_file=data)
            if report.ok:
                stored = {
                    o.code: o.name for o in Organisation.objects.filter(code__startswith="LA0101")
                }
                for code, _parent, _kind, lo, en in rows:
                    # what was meant: the text without stray spaces or zero-width characters
                    # at the ends (the same text a workbook cell or a CSV field carries)
                    assert stored[code] == {"lo": label_clean(lo), "en": label_clean(en)}
                    assert "\x00" not in lo + en
            else:
                assert report.problems
                assert all(problem.line >= 1 for problem in report.problems)
                assert Organisation.objects.count() == before
            raise Rollback
    except Rollback:
        pass


number_cell = st.one_of(
    # the question's constraint is `. <= 10000`: beyond it a refusal is what was meant
    st.integers(min_value=0, max_value=10_000).flatmap(spelled),
    cell_text.map(lambda text: (text, None)),
)


@PROPERTY
@given(cell=number_cell, connectivity=st.one_of(st.sampled_from(["fast", "slow"]), cell_text))
def test_the_responses_import_stores_what_was_meant_or_nothing(setup, cell, connectivity):  # noqa: F811
    text, meant = cell
    row = kobo_row("LA0101", "p-1", **{"tech/computers": text, "tech/connectivity": connectivity})
    try:
        data = xlsx([HEADER, [row[column] for column in HEADER]])
    except IllegalCharacterError:  # openpyxl cannot write a NUL; nothing to upload
        return
    try:
        with transaction.atomic():
            try:
                responses_import(
                    round_=setup["round"], file=io.BytesIO(data), filename="export.xlsx", user=None
                )
            except ImportFailed as failed:
                assert failed.problems
                assert all(problem.line >= 1 for problem in failed.problems)
                assert not Answer.objects.exists()
                assert meant is None or connectivity not in ("fast", "slow")
            else:
                computers = Answer.objects.filter(question__code="computers").first()
                if not text.strip("\u00a0\u200b\u200e\ufeff \t"):
                    assert computers is None  # an empty cell is no answer
                elif meant is not None:
                    assert computers.number == Decimal(meant)
                else:  # arbitrary text was accepted only if it was a plain whole number
                    digits = text.strip().translate(str.maketrans(LAO_DIGITS, "0123456789"))
                    # "-0" is zero, a count like any other; no other negative count is taken.
                    assert re.fullmatch(r"[+-]?(\d{1,3}(,\d{3})*|\d+)", digits), text
                    value = Decimal(digits.replace(",", "").lstrip("+"))
                    assert value >= 0 and computers.number == value, text
                stored = Answer.objects.get(question__code="connectivity").choices
                assert stored == [connectivity.strip()]
            raise Rollback
    except Rollback:
        pass
