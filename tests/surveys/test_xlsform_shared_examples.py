"""Real forms from the XLSForm project (in ../shared/xlsforms, beside the clone): each imports or
is refused with precise problems; none crashes and a refusal imports nothing."""

import pytest
from django.conf import settings

from surveys.models import QuestionnaireVersion
from surveys.xlsform import xlsform_import

SHARED = settings.BASE_DIR.parent / "shared" / "xlsforms"
FILES = sorted(SHARED.glob("*.xls*")) if SHARED.is_dir() else []


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/xlsforms is not beside the clone")
@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_a_real_form_imports_or_is_refused_cleanly(db, path):
    result = xlsform_import(file=str(path), filename=path.name)
    if result.version is None:
        assert result.errors
        assert all(problem.message for problem in result.errors)
        assert QuestionnaireVersion.objects.count() == 0
    else:
        assert result.errors == []
        assert result.version.questions.exists()
