"""The field cases of ../shared/cases (inputs modelled on faults users of peer platforms
reported), used by path; the tests that need them skip only when the folder is absent."""

from pathlib import Path

import pytest

from organisations.models import OrganisationKind
from surveys.xlsform.importer import xlsform_import
from tests.factories import make_open_round, make_organisation

CASES = Path(__file__).resolve().parents[2].parent / "shared" / "cases"

needs_cases = pytest.mark.skipif(not CASES.is_dir(), reason="../shared/cases is not here")


def case(name: str) -> Path:
    return CASES / name


def published_case_form(name: str):
    """The case's XLSForm imported and published, as an administrator would."""
    result = xlsform_import(file=case(name).read_bytes(), filename=name, publish=True)
    assert result.ok, [str(problem) for problem in result.problems]
    return result.version


def villages(*codes: str) -> list:
    """The nation > province LA01 > district LA0101 > the given villages."""
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    province = make_organisation(code="LA01", kind=OrganisationKind.PROVINCE, parent=nation)
    district = make_organisation(code="LA0101", kind=OrganisationKind.DISTRICT, parent=province)
    return [
        make_organisation(code=code, kind=OrganisationKind.VILLAGE, parent=district)
        for code in codes
    ]


def case_round(form: str, *codes: str, code: str = "r2026"):
    version = published_case_form(form)
    return make_open_round(version=version, targets=villages(*codes), code=code)
