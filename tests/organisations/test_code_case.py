"""One organisation per code however it is typed, also outside the import (issue 9, point 4):
the Django admin cannot create la1899 beside LA1899, nor can any other writer."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from organisations.models import Organisation, OrganisationKind
from tests.factories import UserFactory, make_organisation

pytestmark = pytest.mark.django_db


@pytest.fixture
def district():
    nation = make_organisation(code="LA", kind=OrganisationKind.NATIONAL)
    return make_organisation(code="LA1899", kind=OrganisationKind.DISTRICT, parent=nation)


def test_the_admin_refuses_a_code_that_differs_only_in_letter_case(client, district):
    staff = UserFactory(username="tech", is_staff=True, is_superuser=True)
    client.force_login(staff)
    page = client.post(
        "/admin/organisations/organisation/add/",
        {
            "code": "la1899",
            "name": '{"lo": "ເມືອງ", "en": "District"}',
            "kind": OrganisationKind.DISTRICT,
            "iso_code": "",
            "active": "on",
            "_position": "sorted-child",
            "_ref_node_id": str(Organisation.objects.get_parent(district).pk),
        },
    )
    assert page.status_code == 200  # the form again, with the reason
    assert Organisation.objects.filter(code__iexact="la1899").count() == 1
    errors = page.context["adminform"].form.non_field_errors()
    assert "ພິມໃຫຍ່ ຫຼື ພິມນ້ອຍ" in str(errors), errors  # "in any letter case", in Lao


def test_model_validation_and_the_database_refuse_a_case_twin(district):
    twin = Organisation(code="la1899", name={"en": "Twin"}, kind=OrganisationKind.DISTRICT)
    with pytest.raises(ValidationError):
        twin.validate_constraints()
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.add_child(
            Organisation.objects.get_parent(district),
            {"code": "la1899", "name": {"en": "Twin"}, "kind": OrganisationKind.DISTRICT},
        )


@pytest.mark.parametrize("invisible", ["\u200b", "\u200e", "\u00ad"])
def test_the_admin_refuses_a_code_with_an_invisible_character(client, district, invisible):
    staff = UserFactory(username="tech", is_staff=True, is_superuser=True)
    client.force_login(staff)
    page = client.post(
        "/admin/organisations/organisation/add/",
        {
            "code": f"LA18{invisible}98",
            "name": '{"lo": "ເມືອງ", "en": "District"}',
            "kind": OrganisationKind.DISTRICT,
            "iso_code": "",
            "active": "on",
            "_position": "sorted-child",
            "_ref_node_id": str(Organisation.objects.get_parent(district).pk),
        },
    )
    assert page.status_code == 200  # the form again, with the reason
    errors = str(page.context["adminform"].form.errors["code"])
    assert f"U+{ord(invisible):04X}" in errors
    assert "ຕົວອັກສອນທີ່ເບິ່ງບໍ່ເຫັນ" in errors  # "an invisible character", in Lao
    assert (
        not Organisation.objects.filter(code__startswith="LA18", kind="district")
        .exclude(pk=district.pk)
        .exists()
    )
