"""The organisation pages as a Lao administrator reads them: Django's own form messages in
Lao, a question before a role is taken away, the kinds of the CSV named."""

import pytest
from django.urls import reverse

from organisations.models import Role
from tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def lao_admin(client, tree):
    user = UserFactory(username="platform")
    grant(user, Role.ADMINISTRATOR, tree["nation"])
    client.force_login(user)
    return user


def test_the_new_user_form_gives_its_rules_and_errors_in_lao(client, lao_admin):
    page = client.get(reverse("organisations:user_create")).content.decode()
    assert "ລະຫັດຜ່ານຕ້ອງມີຢ່າງໜ້ອຍ 8 ຕົວອັກສອນ" in page
    assert "Your password" not in page and "150 characters" not in page
    refused = client.post(
        reverse("organisations:user_create"),
        {"username": "new one", "password1": "Ab1$", "password2": "Ab1$"},
    ).content.decode()
    assert "ຊື່ຜູ້ໃຊ້ບໍ່ຖືກຕ້ອງ" in refused
    assert "ລະຫັດຜ່ານນີ້ສັ້ນເກີນໄປ" in refused
    assert "This password" not in refused and "Enter a valid username" not in refused


def test_removing_a_role_asks_first(client, lao_admin, tree):
    focal = UserFactory(username="focal_vte")
    assignment = grant(focal, Role.FOCAL_POINT, tree["vte"])
    remove = reverse("organisations:role_remove", args=[assignment.pk])
    pages = (reverse("organisations:roles"), reverse("organisations:detail", args=[tree["vte"].pk]))
    for url in pages:
        page = client.get(url).content.decode()
        form = page[page.index(f'action="{remove}"') :].split(">", 1)[0]
        assert 'data-confirm="ທ່ານຕ້ອງການຖອນບົດບາດ' in form and "focal_vte" in form


def test_the_import_page_names_every_kind_code(client, lao_admin):
    page = client.get(reverse("organisations:import")).content.decode()
    assert "<code>provincial_office</code> · ພະແນກການຂັ້ນແຂວງ" in page
