"""The export writer: XLSX text exactly as written and never a formula; CSV text a spreadsheet would run made inert;
numbers kept as numbers, Chinese intact through both."""

import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest

from parkadmin import exports
from parkadmin.tables import MONEY, NUMBER, TEXT
from tests.spreadsheets import EXACT_PAYLOADS, formula_elements, texts

# Every start a spreadsheet may read as a formula (OWASP's list), also behind blanks, a BOM or an invisible mark,
# and in full width.
CSV_DANGEROUS = [
    "=1+1",
    "+86 745 1234567",
    "-5 units",
    "@SUM(A1)",
    '=HYPERLINK("http://x")',
    "\tx",
    "\rx",
    "\nx",
    "\x00x",
    "\ufeff=1+1",
    " =1+1",
    "\u3000+1",
    "\u200b@SUM(A1)",
    "\t \ufeff-1",
    "＝1+1",
    "＋86",
    "－5",
    "＠SUM(A1)",
]
CSV_SAFE = ["怀化高新区", "a=1", "1-2", "86 745 1234567", " 怀化", "'=1+1", "x@y.cn", "_x0041_", "<script>", "  "]


@pytest.mark.parametrize("payload", CSV_DANGEROUS)
def test_csv_text_a_spreadsheet_would_run_gets_an_apostrophe(payload):
    assert exports.csv_safe(payload) == "'" + payload
    line = "".join(exports.csv_lines(["名称"], [[exports.cell_value(payload)]])).split("\r\n", 1)[1]
    assert next(csv.reader(io.StringIO(line))) == ["'" + payload]


@pytest.mark.parametrize("text", CSV_SAFE)
def test_csv_text_that_cannot_run_is_left_as_it_is(text):
    assert exports.csv_safe(text) == text


def test_ordinary_text_and_numbers_pass_unchanged():
    assert exports.cell_value("=1+1") == "=1+1"  # the guard is the CSV writer's, not the data's
    assert exports.cell_value(Decimal("-12.5")) == Decimal("-12.5")
    assert exports.cell_value(7) == 7
    assert exports.cell_value(None) == ""


def test_csv_has_a_bom_keeps_chinese_and_neutralises_formulas_but_not_negative_numbers():
    rows = [
        ["=1+1", Decimal("358.7"), datetime.date(2020, 3, 28)],
        ["怀化高新区", -5, None],
        ["＝1", Decimal("-0.5"), None],
    ]
    text = "".join(exports.csv_lines(["名称", "金额", "日期"], ([exports.cell_value(v) for v in r] for r in rows)))
    assert text.startswith("\ufeff")
    parsed = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert parsed[0] == ["名称", "金额", "日期"]
    assert parsed[1] == ["'=1+1", "358.7", "2020-03-28"]
    assert parsed[2] == ["怀化高新区", "-5", ""]
    assert parsed[3] == ["'＝1", "-0.5", ""]


def test_xlsx_text_reads_back_exactly_as_written_and_no_cell_is_a_formula():
    payloads = [*EXACT_PAYLOADS, "_x005F_x0041_", "_x0041_x0042_", "  怀化 "]
    buffer = io.BytesIO()
    rows = [[exports.cell_value(p), Decimal("-5"), 12] for p in payloads]
    count = exports.write_xlsx(buffer, ["=名称", "金额", "数量"], rows, [TEXT, MONEY, NUMBER])
    assert count == len(payloads)
    content = buffer.getvalue()
    assert formula_elements(content) == 0
    cells = next(iter(texts(content).values()))
    assert cells["A1"] == "=名称"
    assert [cells[f"A{n}"] for n in range(2, len(payloads) + 2)] == payloads
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    assert sheet["A2"].value == "=1+1" and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "+86 745 1234567"
    assert sheet["B2"].value == -5 and sheet["B2"].data_type == "n"
    assert sheet["C3"].value == 12
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)


def test_xlsx_dates_are_dates():
    buffer = io.BytesIO()
    exports.write_xlsx(buffer, ["日期"], [[datetime.date(2020, 3, 28)]], [TEXT])
    buffer.seek(0)
    cell = openpyxl.load_workbook(buffer).active["A2"]
    assert cell.value == datetime.datetime(2020, 3, 28)
    assert cell.number_format == "yyyy-mm-dd"


@pytest.mark.django_db
def test_list_export_of_hostile_names_is_exact_in_xlsx_and_inert_in_csv(admin_client):
    from tests.factories import ParkFactory

    names = {f"p{n}": payload for n, payload in enumerate(EXACT_PAYLOADS)}
    names["dde"] = "@cmd|' /C calc'!A0"
    for code, name in names.items():
        ParkFactory(code=code, name=name)
    text = b"".join(admin_client.get("/enterprises/parks/", {"export": "csv"}).streaming_content).decode()
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    code_at, name_at = rows[0].index("代码"), rows[0].index("名称")
    exported = {row[code_at]: row[name_at] for row in rows[1:]}
    assert exported["dde"] == "'@cmd|' /C calc'!A0"
    assert exported["p1"] == "'+86 745 1234567"
    assert exported["p10"] == "a\x01b\x1fc" and exported["p11"] == "<script>alert(1)</script>"
    response = admin_client.get("/enterprises/parks/", {"export": "xlsx"})
    content = b"".join(response.streaming_content)
    assert formula_elements(content) == 0
    cells = next(iter(texts(content).values()))
    exported = {cells[f"A{n}"]: cells[f"B{n}"] for n in range(2, len(names) + 2)}
    assert exported == names
