import pytest
from django.utils import translation

from organisations.models import Organisation
from organisations.reference import reference_data_load


@pytest.fixture
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def reference(db) -> dict[str, Organisation]:
    """The shipped tree: national root, 18 provinces, 148 districts, 16 ministries."""
    reference_data_load()
    return {o.code: o for o in Organisation.objects.all()}


def assert_tree_sound() -> None:
    assert Organisation.objects.find_problems() == ([], [], [], [], [])


def parent_code(code: str) -> str:
    node = Organisation.objects.get(code=code)
    return Organisation.objects.get(path=node.path[: -Organisation.steplen]).code
