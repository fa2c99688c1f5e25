"""The streaming XLSX writer of list exports: what a spreadsheet program reads back."""

import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl

from parkadmin import xlsxstream
from tests.spreadsheets import texts


def write(rows, headers=("名称", "金额", "日期"), money=(False, True, False), **kwargs):
    buffer = io.BytesIO()
    count = xlsxstream.write_sheet(buffer, list(headers), rows, list(money), **kwargs)
    buffer.seek(0)
    return count, openpyxl.load_workbook(buffer), buffer


def test_cells_are_typed_and_text_is_never_a_formula():
    moment = datetime.datetime(2020, 3, 28, 13, 45)
    count, book, _buffer = write(
        [["=1+1", Decimal("358.70"), datetime.date(2020, 3, 28)], ["  怀化 ", -12, moment], ["x", None, ""]]
    )
    sheet = book.active
    assert count == 3
    assert [c.value for c in sheet[1]] == ["名称", "金额", "日期"]
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 358.7 and sheet["B2"].number_format == "#,##0.00"
    assert sheet["C2"].value == datetime.datetime(2020, 3, 28) and sheet["C2"].number_format == "yyyy-mm-dd"
    assert sheet["A3"].value == "  怀化 "
    assert sheet["B3"].value == -12
    assert sheet["C3"].value == moment and sheet["C3"].number_format == "yyyy-mm-dd hh:mm"
    assert sheet["B4"].value is None and sheet["C4"].value is None
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_header_frozen_filtered_bold_and_sized():
    _count, book, _buffer = write([["a", 1, None]] * 5, widths=[12, 20, 10])
    sheet = book.active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:C6"
    assert sheet["A1"].font.b and sheet["A1"].fill.fgColor.rgb == "FFE9EEF5"
    assert sheet.column_dimensions["B"].width == 20


def test_xml_and_control_characters_are_escaped():
    _count, book, buffer = write([["<b>&\"'", 1, None], ["a\x01b", 2, None]])
    sheet = book.active
    assert sheet["A2"].value == "<b>&\"'"
    assert sheet["A3"].value == "a_x0001_b"  # how Excel (and XlsxWriter) spell a control character
    assert texts(buffer.getvalue())["xl/worksheets/sheet1.xml"]["A3"] == "a\x01b"


def test_literal_escape_sequences_and_carriage_returns_read_back_as_written():
    written = ["_x0041_", "_x005F_x0041_", "_x0041_x0042_", "SKU_x0041\x01", "x_x00zz_", "a\rb", "\r\n", "\x0b\ufffe"]
    _count, _book, buffer = write([[text, None, None] for text in written])
    cells = texts(buffer.getvalue())["xl/worksheets/sheet1.xml"]
    assert [cells[f"A{n}"] for n in range(2, len(written) + 2)] == written


def test_the_sheet_name_is_made_valid_and_columns_go_past_z():
    headers = [f"h{n}" for n in range(30)]
    _count, book, buffer = write([list(range(30))], headers=headers, money=[False] * 30, sheet_name="a/b[c]:企业-2020")
    sheet = book.active
    assert sheet.title == "a_b_c__企业-2020"
    assert sheet["AD2"].value == 29
    assert xlsxstream.column_letter(0) == "A" and xlsxstream.column_letter(26) == "AA"
    assert xlsxstream.column_letter(701) == "ZZ" and xlsxstream.column_letter(702) == "AAA"
    assert "xl/worksheets/sheet1.xml" in zipfile.ZipFile(buffer).namelist()


def test_an_empty_export_has_only_its_header():
    count, book, _buffer = write([])
    assert count == 0
    assert book.active.max_row == 1
