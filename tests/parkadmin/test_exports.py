"""The export writer: formulas neutralised, numbers kept as numbers, Chinese intact through CSV and XLSX."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from parkadmin import exports
from parkadmin.tables import MONEY, NUMBER, TEXT

PAYLOADS = ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx", '=HYPERLINK("http://x")']


@pytest.mark.parametrize("payload", PAYLOADS)
def test_text_that_would_run_as_a_formula_is_prefixed(payload):
    assert exports.neutralise(payload) == "'" + payload


def test_ordinary_text_and_numbers_pass_unchanged():
    assert exports.neutralise("怀化高新区") == "怀化高新区"
    assert exports.cell_value(Decimal("-12.5")) == Decimal("-12.5")
    assert exports.cell_value(7) == 7
    assert exports.cell_value(None) == ""


def test_csv_has_a_bom_keeps_chinese_and_neutralises_formulas():
    rows = [["=1+1", Decimal("358.7"), datetime.date(2020, 3, 28)], ["怀化高新区", -5, None]]
    text = "".join(exports.csv_lines(["名称", "金额", "日期"], ([exports.cell_value(v) for v in r] for r in rows)))
    assert text.startswith("\ufeff")
    parsed = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert parsed[0] == ["名称", "金额", "日期"]
    assert parsed[1] == ["'=1+1", "358.7", "2020-03-28"]
    assert parsed[2] == ["怀化高新区", "-5", ""]


def test_xlsx_keeps_numbers_as_numbers_and_has_no_formula_cells():
    buffer = io.BytesIO()
    rows = [[exports.cell_value(v) for v in row] for row in [["=1+1", Decimal("358.7"), 12], ["@x", -1, 0]]]
    count = exports.write_xlsx(buffer, ["名称=", "金额", "数量"], rows, [TEXT, MONEY, NUMBER])
    assert count == 2
    buffer.seek(0)
    sheet = openpyxl.load_workbook(buffer).active
    assert sheet["A1"].value == "名称="
    assert sheet["A2"].value == "'=1+1"
    assert sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 358.7 and sheet["B2"].data_type == "n"
    assert sheet["C3"].value == 0
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_xlsx_dates_are_dates():
    buffer = io.BytesIO()
    exports.write_xlsx(buffer, ["日期"], [[datetime.date(2020, 3, 28)]], [TEXT])
    buffer.seek(0)
    cell = openpyxl.load_workbook(buffer).active["A2"]
    assert cell.value == datetime.datetime(2020, 3, 28)
    assert cell.number_format == "yyyy-mm-dd"


@pytest.mark.django_db
def test_list_export_of_hostile_names_is_inert(admin_client):
    from tests.factories import ParkFactory

    ParkFactory(code="p1", name='=HYPERLINK("http://evil","点我")')
    ParkFactory(code="p2", name="@cmd|' /C calc'!A0")
    text = b"".join(admin_client.get("/enterprises/parks/", {"export": "csv"}).streaming_content).decode()
    assert "'=HYPERLINK" in text and "'@cmd" in text
    response = admin_client.get("/enterprises/parks/", {"export": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    names = [row[1] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert all(name.startswith("'") for name in names)
