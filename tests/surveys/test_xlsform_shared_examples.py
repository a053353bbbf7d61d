"""Real forms from the XLSForm project (in ../shared/xlsforms, beside the clone): each imports, or
is refused only for a feature on the refused list (media questions and pictures as choices,
geopoint/geotrace/geoshape, search() appearances), with precise problems and nothing written.
A form that imports exports back to an identical version that pyxform converts.

Forms still refused for something else are marked xfail (strict: the mark must go as soon as
they import) with what they lack; surveys/xlsform/README.md lists each form's result."""

import io

import pytest
from django.conf import settings
from django.utils import translation
from pyxform.xls2xform import convert

from readiness.tabular import read_tables, upload_read
from surveys.models import QuestionnaireVersion
from surveys.xlsform import xlsform_export, xlsform_import
from tests.surveys.test_xlsform_roundtrip import snapshot

SHARED = settings.BASE_DIR.parent / "shared" / "xlsforms"
FILES = sorted(SHARED.glob("*.xls*")) if SHARED.is_dir() else []
REFUSED_TYPES = {"image", "audio", "video", "file", "geopoint", "geotrace", "geoshape"}
NOT_YET = {
    "01_pyxform_xlsform_spec_test.xlsx": "a repeat (point 4); acknowledge, time, datetime, "
    "barcode questions",
    "02_pyxform_UCL_Biomass_Plot_Form.xlsx": "repeats (point 4), select_one_from_file (point 3), "
    "a required condition, cos()/atan() (refused: rounding differs), a nested-repeat regex",
    "03_pyxform_widgets.xls": "time, dateTime, trigger and barcode questions",
    "04_pyxform_tutorial.xls": "a repeat (point 4)",
}


def _refused_feature_rows(path) -> set[tuple[str, int]]:
    """(sheet, row) of every row using a refused feature: a media or geo question, a search()
    appearance, a choice with a picture."""
    rows = set()
    for sheet in read_tables(upload_read(str(path)), path.name, allow_csv=False):
        name = sheet.name.strip().lower()
        for row in sheet.rows:
            cells = {key.strip().lower(): value for key, value in row.cells.items()}
            kind = cells.get("type", "").strip().lower()
            if name == "survey" and (
                kind in REFUSED_TYPES or "search(" in cells.get("appearance", "")
            ):
                rows.add(("survey", row.number))
            if name == "choices" and any(key.startswith(("image", "media")) for key in cells):
                rows.add(("choices", row.number))
    return rows


def _case(path):
    reason = NOT_YET.get(path.name)
    marks = [pytest.mark.xfail(strict=True, reason=f"not taken yet: {reason}")] if reason else []
    return pytest.param(path, marks=marks, id=path.name)


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/xlsforms is not beside the clone")
@pytest.mark.parametrize("path", [_case(p) for p in FILES])
def test_a_real_form_imports_or_is_refused_only_for_a_refused_feature(db, path):
    with translation.override("en"):
        result = xlsform_import(file=str(path), filename=path.name)
    if result.version is None:
        assert QuestionnaireVersion.objects.count() == 0
        refused_rows = _refused_feature_rows(path)
        others = [p for p in result.problems if (p.sheet, p.line) not in refused_rows]
        assert others == [], "refused for something not on the refused list"
        return
    assert result.problems == []
    data = xlsform_export(result.version)
    convert(xlsform=data)
    again = xlsform_import(file=io.BytesIO(data), filename="export.xlsx")
    assert again.problems == []
    assert snapshot(again.version) == snapshot(result.version)
