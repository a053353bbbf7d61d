"""Bad files are cheap to refuse (issue 9, point 9): a spreadsheet whose shared-strings table
or unpacked size is out of proportion is refused in well under a second, before openpyxl or
pandas sees it whole, at every upload entry point; an upload over the size limit is refused
before it is parsed."""

import io
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from organisations.services import organisations_import
from readiness.tabular import MAX_BYTES, TableError, read_tables
from surveys.services.imports import ImportFailed, responses_import
from surveys.xlsform import xlsform_import
from tests.factories import make_open_round, make_version_of_every_kind

TEN_MILLION = 10_000_000


def small_workbook() -> bytes:
    workbook = Workbook()
    workbook.active.title = "survey"
    workbook.active.append(["type", "name", "label"])
    workbook.active.append(["text", "q1", "A question"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_shared_strings(shared_strings: bytes) -> bytes:
    """The small workbook with `shared_strings` as its shared-strings part (declared in the
    content types and the workbook's relations, as Excel writes it)."""
    source = zipfile.ZipFile(io.BytesIO(small_workbook()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml":
                data = data.replace(
                    b"</Types>",
                    b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
                )
            elif item.filename == "xl/_rels/workbook.xml.rels":
                data = data.replace(
                    b"</Relationships>",
                    b'<Relationship Id="rIdSst" Type="http://schemas.openxmlformats.org/'
                    b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                    b"</Relationships>",
                )
            target.writestr(item.filename, data)
        target.writestr("xl/sharedStrings.xml", shared_strings)
    return buffer.getvalue()


SST = b'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'


def declared_bomb() -> bytes:
    """A tiny file whose shared-strings table declares ten million entries."""
    body = b"<si><t>type</t></si><si><t>name</t></si><si><t>label</t></si>"
    body += b"<si><t>text</t></si><si><t>q1</t></si><si><t>A question</t></si>"
    head = SST + b' count="%d" uniqueCount="%d">' % (TEN_MILLION, TEN_MILLION)
    return with_shared_strings(head + body + b"</sst>")


def undeclared_bomb() -> bytes:
    """Two million real shared strings and no count at all: small on disk, huge unpacked."""
    body = b"<si><t>a</t></si>" * 2_000_000
    return with_shared_strings(SST + b">" + body + b"</sst>")


BOMBS = {"declared": declared_bomb, "undeclared": undeclared_bomb}


@pytest.fixture(scope="module", params=list(BOMBS))
def bomb(request) -> bytes:
    data = BOMBS[request.param]()
    assert len(data) < 400_000  # a small upload, far under every size limit
    return data


def test_the_reader_refuses_a_bomb_in_well_under_a_second(bomb):
    started = time.perf_counter()
    with pytest.raises(TableError) as refused:
        read_tables(bomb, "bomb.xlsx")
    assert time.perf_counter() - started < 1.0
    assert "ຈຶ່ງບໍ່ໄດ້ອ່ານ" in str(refused.value)  # "so it was not read"


@pytest.mark.django_db
def test_the_xlsform_import_refuses_a_bomb_quickly(bomb):
    started = time.perf_counter()
    result = xlsform_import(file=bomb, filename="bomb.xlsx")
    assert time.perf_counter() - started < 1.0
    assert result.version is None
    assert len(result.problems) == 1


@pytest.mark.django_db
def test_the_responses_import_refuses_a_bomb_quickly(bomb, tree):
    round_ = make_open_round(version=make_version_of_every_kind(), targets=[tree["chanthabuly"]])
    started = time.perf_counter()
    with pytest.raises(ImportFailed) as refused:
        responses_import(round_=round_, file=io.BytesIO(bomb), filename="bomb.xlsx", user=None)
    assert time.perf_counter() - started < 1.0
    assert len(refused.value.problems) == 1


@pytest.mark.django_db
def test_the_organisation_import_refuses_a_bomb_quickly(bomb):
    started = time.perf_counter()
    report = organisations_import(rows_or_file=SimpleUploadedFile("bomb.csv", bomb))
    assert time.perf_counter() - started < 1.0
    assert not report.ok and len(report.problems) == 1


@pytest.mark.django_db
def test_an_organisation_file_over_the_size_limit_is_refused_before_it_is_read():
    huge = b"code,parent_code,kind,name_lo,name_en\n" + b"X" * MAX_BYTES
    report = organisations_import(rows_or_file=io.BytesIO(huge))
    assert not report.ok
    [problem] = report.problems
    assert "MB" in problem.message and str(MAX_BYTES // (1024 * 1024)) in problem.message


def test_a_real_workbook_that_compresses_well_is_still_read():
    """The proportion rule spares real files: 20,000 rows of a repeated village name."""
    workbook = Workbook()
    workbook.active.append(["code", "name"])
    for index in range(20_000):
        workbook.active.append([f"LA0101V{index:04d}", "ບ້ານ ໂພນໄຊ"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    [sheet] = read_tables(buffer.getvalue(), "villages.xlsx")
    assert len(sheet.rows) == 20_000
