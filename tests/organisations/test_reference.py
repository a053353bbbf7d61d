import csv
import unicodedata

import pytest
from django.core.management import call_command
from django.utils import translation

from organisations.models import Organisation, OrganisationKind
from organisations.reference import DATA_DIR, reference_data_load
from tests.organisations.conftest import assert_tree_sound, parent_code

pytestmark = pytest.mark.django_db


def _count(kind: str) -> int:
    return Organisation.objects.filter(kind=kind).count()


def test_it_creates_the_root_18_provinces_148_districts_and_the_current_ministries():
    reference_data_load()
    assert _count(OrganisationKind.NATIONAL) == 1
    assert _count(OrganisationKind.PROVINCE) == 18
    assert _count(OrganisationKind.DISTRICT) == 148
    assert _count(OrganisationKind.MINISTRY) == 16
    assert Organisation.objects.count() == 1 + 18 + 148 + 16
    assert_tree_sound()


def test_provinces_carry_their_iso_code_and_both_names():
    reference_data_load()
    luang_prabang = Organisation.objects.get(code="LA06")
    assert luang_prabang.iso_code == "LA-LP"
    assert luang_prabang.name == {"lo": "ຫຼວງພະບາງ", "en": "Louangphabang"}
    assert parent_code("LA06") == "LA"
    assert parent_code("LA0101") == "LA01"
    assert set(Organisation.objects.filter(kind="province").values_list("iso_code", flat=True)) >= {
        "LA-VT",
        "LA-XS",
    }


def test_former_ministries_are_not_loaded_and_ministries_hang_under_the_root():
    reference_data_load()
    assert not Organisation.objects.filter(code__in=["MPI", "MEM", "MONRE", "MAF", "MOHA", "MICT"])
    moh = Organisation.objects.get(code="MOH")
    assert parent_code("MOH") == "LA"
    assert moh.name["en"] == "Ministry of Health"


def test_a_second_run_creates_nothing():
    reference_data_load()
    before = list(Organisation.objects.order_by("pk").values_list("pk", "path", "updated_at"))
    with translation.override("en"):
        lines = reference_data_load()
    assert "0 created" in lines[0]
    assert (
        list(Organisation.objects.order_by("pk").values_list("pk", "path", "updated_at")) == before
    )


def test_it_never_overwrites_a_name_an_administrator_corrected():
    reference_data_load()
    Organisation.objects.filter(code="MOH").update(
        name={"lo": "ກະຊວງ ສາທາລະນະສຸກ (ແກ້ໄຂ)", "en": "Ministry of Health (corrected)"}
    )
    Organisation.objects.filter(code="LA0101").delete()
    reference_data_load()
    assert Organisation.objects.get(code="MOH").name["en"] == "Ministry of Health (corrected)"
    assert Organisation.objects.filter(code="LA0101").exists()  # a missing unit is put back
    assert_tree_sound()


def test_it_fills_in_below_an_existing_root(tree):
    reference_data_load()
    assert Organisation.objects.filter(depth=1).count() == 1
    assert Organisation.objects.get(code="MOH").name == tree["moh"].name  # left as it was
    assert _count(OrganisationKind.DISTRICT) == 148
    assert_tree_sound()


def test_the_command_prints_what_it_created(capsys, monkeypatch):
    import sys
    import types

    # The default questionnaire belongs to another part of the product; stand in for it if
    # it is not there yet, so that this test checks our half of the command.
    module = types.ModuleType("surveys.default_questionnaire")
    module.default_questionnaire_load = lambda: []
    monkeypatch.setitem(sys.modules, "surveys.default_questionnaire", module)
    call_command("load_reference_data")
    assert "183" in capsys.readouterr().out


def test_the_shipped_files_are_nfc_and_in_the_import_shape():
    for name in ("admin_units.csv", "ministries.csv"):
        with open(DATA_DIR / name, encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            assert reader.fieldnames == [
                "code",
                "parent_code",
                "kind",
                "name_lo",
                "name_en",
                "iso_code",
            ]
            for row in reader:
                assert unicodedata.normalize("NFC", row["name_lo"]) == row["name_lo"]
                assert row["name_lo"] and row["name_en"]
