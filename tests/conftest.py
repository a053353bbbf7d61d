import pytest

from organisations.models import OrganisationKind
from tests.factories import make_organisation


@pytest.fixture
def tree(db):
    """A small tree: the nation, two provinces with a district each, a village, a ministry with a
    department, and a provincial health office attached to the ministry (sector axis)."""
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    vte = make_organisation(code="LA01", kind=OrganisationKind.PROVINCE, parent=nation)
    lpb = make_organisation(code="LA06", kind=OrganisationKind.PROVINCE, parent=nation)
    chanthabuly = make_organisation(code="LA0101", kind=OrganisationKind.DISTRICT, parent=vte)
    luang = make_organisation(code="LA0601", kind=OrganisationKind.DISTRICT, parent=lpb)
    village = make_organisation(code="LA0101001", kind=OrganisationKind.VILLAGE, parent=chanthabuly)
    moh = make_organisation(code="MOH", kind=OrganisationKind.MINISTRY, parent=nation)
    moh_dept = make_organisation(code="MOH-DHR", kind=OrganisationKind.DEPARTMENT, parent=moh)
    health_lpb = make_organisation(
        code="LA06-PHO", kind=OrganisationKind.PROVINCIAL_OFFICE, parent=lpb, line_ministry=moh
    )
    return {
        "nation": nation,
        "vte": vte,
        "lpb": lpb,
        "chanthabuly": chanthabuly,
        "luang": luang,
        "village": village,
        "moh": moh,
        "moh_dept": moh_dept,
        "health_lpb": health_lpb,
    }
