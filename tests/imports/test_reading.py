"""Reading files: encodings, header mapping, and every kind of file that is refused — with one clear line, no
traceback, quickly, and nothing written."""

from __future__ import annotations

import io
import time
import zipfile

import pytest
from django.test import override_settings

from enterprises.models import Enterprise
from parkadmin.exports import csv_safe
from parkadmin.imports.kinds import registry
from parkadmin.imports.reading import ImportFileError, decode_text, read_sheet
from tests.factories import IndustryClusterFactory, ParkFactory
from tests.imports.files import csv_bytes, many_entries_zip, named, xlsx_bytes, zip_bomb

pytestmark = pytest.mark.django_db

ROWS = [["怀化一号科技有限公司", "core"], ["怀化二号科技有限公司", "core"]]


@pytest.fixture
def park(db):
    ParkFactory(code="core", name="核心区")
    IndustryClusterFactory(code="EIT", name="电子信息")


def run(data: bytes, name: str = "file.csv", *, kind: str = "enterprises"):
    return registry()[kind]().run(named(data, name), name=name)


def refused(data: bytes, name: str = "file.csv") -> str:
    """The one-line reason a file is refused; nothing may have been written."""
    started = time.monotonic()
    result = run(data, name)
    assert time.monotonic() - started < 5, "refusing a file must be quick"
    assert result.file_error and not result.outcomes
    assert "\n" not in result.file_error and "Traceback" not in result.file_error
    assert not Enterprise.objects.exists()
    return result.file_error


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"], ids=["utf8", "utf8-bom", "gb18030", "utf16"]
)
def test_csv_in_every_encoding_excel_writes_is_read(park, encoding):
    data = csv_bytes(["企业名称", "园区"], ROWS, encoding=encoding)
    result = run(data)
    assert result.ok and result.created == 2
    assert set(Enterprise.objects.values_list("name", flat=True)) == {row[0] for row in ROWS}


def test_gb18030_is_what_chinese_excel_writes_and_not_utf8():
    data = "企业名称,园区\n怀化一号科技有限公司,core\n".encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode_text(data).startswith("企业名称")


def test_semicolon_and_tab_separated_csv_are_read(park):
    for delimiter in (";", "\t"):
        Enterprise.objects.all().delete()
        assert run(csv_bytes(["name", "park"], ROWS, delimiter=delimiter)).created == 2


def test_headers_match_ignoring_case_spaces_and_full_width_brackets(park):
    data = csv_bytes([" NAME ", "Park", "注册资本(万元)"], [["怀化一号科技有限公司", "core", "100"]])
    result = run(data)
    assert result.ok, result.file_error
    assert Enterprise.objects.get().registered_capital == 100


def test_blank_rows_are_skipped_and_row_numbers_stay_those_of_the_sheet(park):
    data = csv_bytes(["name", "park"], [ROWS[0], ["", ""], ["怀化三号科技有限公司", "nowhere"]])
    result = run(data)
    assert [(error.row, error.column) for error in result.errors] == [(4, "park")]


def test_the_template_example_row_is_skipped(park):
    importer = registry()["enterprise-years"]
    headers = importer.headers()
    example = [column.example for column in importer.columns]
    result = registry()["enterprise-years"]().run(named(xlsx_bytes(headers, [example]), "t.xlsx"), name="t.xlsx")
    assert result.ok and result.skipped_example == 2 and not result.outcomes


def test_garbage_bytes_are_not_a_spreadsheet():
    garbage = bytes(range(256)) * 40
    assert refused(garbage, "data.csv") == refused(garbage, "data.bin")


def test_an_empty_file_is_refused():
    assert refused(b"")


def test_a_file_with_no_header_is_refused():
    assert refused(b"\n\n,,\n")
    assert refused(xlsx_bytes([], []), "empty.xlsx")


def test_unknown_columns_are_named(park):
    message = refused(csv_bytes(["企业名称", "园区", "电话号码", "color"], [[*ROWS[0], "1", "red"]]))
    assert "电话号码" in message and "color" in message


def test_a_missing_required_column_is_named(park):
    result = run(csv_bytes(["企业", "营业收入（万元）"], [["x", "1"]]), kind="enterprise-years")
    assert "年份" in result.file_error and "营业收入" not in result.file_error


def test_a_column_given_twice_is_refused(park):
    assert "name" in refused(csv_bytes(["企业名称", "name"], [["a", "b"]]))


@override_settings(IMPORT_MAX_BYTES=1024)
def test_a_file_over_the_size_limit_is_refused_before_it_is_read(park):
    assert "MB" in refused(csv_bytes(["name"], [[f"怀化{i}号科技有限公司"] for i in range(100)]))


@override_settings(IMPORT_MAX_ROWS=3)
def test_a_file_with_too_many_rows_is_refused(park):
    message = refused(csv_bytes(["name"], [[f"怀化{i}号科技有限公司"] for i in range(4)]))
    assert "3" in message
    assert run(csv_bytes(["name"], [[f"怀化{i}号科技有限公司"] for i in range(3)])).created == 3


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    bomb = zip_bomb(256)
    assert len(bomb) < 2 * 1024 * 1024
    assert "MB" in refused(bomb, "bomb.xlsx")


@override_settings(IMPORT_MAX_ZIP_ENTRIES=10)
def test_a_workbook_of_too_many_parts_is_refused():
    assert "11" in refused(many_entries_zip(11), "parts.xlsx")


def test_a_zip_that_is_not_a_workbook_is_refused():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refused(out.getvalue(), "not-a-workbook.xlsx")


def test_a_truncated_workbook_is_refused(park):
    data = xlsx_bytes(["name"], [["怀化一号科技有限公司"]])
    assert refused(data[: len(data) // 2], "cut.xlsx")


def test_an_old_xls_file_is_refused_with_what_to_do():
    assert ".xlsx" in refused(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old.xls")


def test_a_text_file_named_xlsx_is_refused():
    assert refused(b"name\nx\n", "wrong.xlsx")


def test_read_sheet_raises_a_one_line_error():
    with pytest.raises(ImportFileError):
        read_sheet(io.BytesIO(b"\0\1\2\3" * 100), name="x.csv")


def test_formula_looking_text_is_stored_as_text_and_exported_neutralised(park, admin_client):
    rows = [["=1+1", "core", "@SUM(A1)"], ["+86 0745", "core", "-2"]]
    for data, name in ((csv_bytes(["name", "park", "address"], rows), "f.csv"),):
        assert run(data, name).created == 2
    enterprise = Enterprise.objects.get(address="@SUM(A1)")
    assert enterprise.name == "=1+1"
    response = admin_client.get("/enterprises/?export=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert csv_safe("=1+1") in text and ",=1+1" not in text
    assert csv_safe("@SUM(A1)") in text


def test_formula_looking_text_in_an_xlsx_stays_text(park):
    result = run(xlsx_bytes(["name", "park"], [['=HYPERLINK("http://x")', "core"]]), "f.xlsx")
    assert result.created == 1
    assert Enterprise.objects.get().name == '=HYPERLINK("http://x")'
