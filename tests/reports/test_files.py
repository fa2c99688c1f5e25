"""The annual report's files on the demo data: the workbook's sheets, charts, numbers and inert text; the PDF's
Chinese text."""

import datetime
import io
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from reports.content import SHEETS, Amount, Chart, Report, ReportTable, Section
from reports.data import annual_report_data
from reports.models import ReportExport
from reports.pdf import PdfFontError, write_report_pdf
from reports.xlsx import number_format, write_report_xlsx
from tests.reports.conftest import HOSTILE_ENTERPRISE, HOSTILE_INDICATOR, HOSTILE_PROBLEM
from tests.spreadsheets import EXACT_PAYLOADS, all_texts, formula_elements

PDFTOTEXT = shutil.which("pdftotext")
PDFFONTS = shutil.which("pdffonts")


def xlsx_bytes(year=2019, park=None) -> bytes:
    buffer = io.BytesIO()
    write_report_xlsx(annual_report_data(year, park), buffer)
    return buffer.getvalue()


def pdf_bytes(year=2019, park=None) -> bytes:
    buffer = io.BytesIO()
    write_report_pdf(annual_report_data(year, park), buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def demo_records(django_db_setup, django_db_blocker):
    """The demo, loaded once for the module inside a transaction rolled back at its end; each test runs in a
    savepoint of it, so what one test adds (the hostile names) is gone before the next."""
    import demo as demo_data

    with django_db_blocker.unblock(), transaction.atomic():
        demo_data.load(with_accounts=False)
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(demo_records, db):
    """The demo records, as tests/reports/conftest.py's fixture gives them, without loading them again."""


@pytest.fixture(scope="module")
def demo_xlsx(demo_records, django_db_blocker) -> bytes:
    """The zone's 2019 workbook of the demo, written once: the tests that only read it share it."""
    with django_db_blocker.unblock():
        return xlsx_bytes()


@pytest.fixture(scope="module")
def demo_pdf(demo_records, django_db_blocker) -> bytes:
    with django_db_blocker.unblock():
        return pdf_bytes()


def workbook(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data))


def row_of(sheet, first_cell: str) -> tuple:
    return next(row for row in sheet.iter_rows() if row[0].value == first_cell)


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "report.pdf"
    path.write_bytes(data)
    return subprocess.run([PDFTOTEXT, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout.decode()


def test_workbook_has_a_sheet_per_area_in_order(demo, demo_xlsx):
    assert workbook(demo_xlsx).sheetnames == ["概览", "指标", "企业", "项目", "孵化", "问题清单"]
    assert list(SHEETS.values()) == ["概览", "指标", "企业", "项目", "孵化", "问题清单"]


def test_workbook_holds_native_excel_charts(demo, demo_xlsx):
    names = zipfile.ZipFile(io.BytesIO(demo_xlsx)).namelist()
    charts = [name for name in names if name.startswith("xl/charts/chart")]
    assert len(charts) >= 4, names
    assert any(name.startswith("xl/drawings/") for name in names)


def test_contract_investment_is_a_number_in_its_unit(demo, demo_xlsx):
    sheet = workbook(demo_xlsx)["指标"]
    cells = row_of(sheet, "合同引资")
    value = cells[2]
    assert value.value == pytest.approx(358.7)
    assert isinstance(value.value, float)
    assert '"亿元"' in value.number_format


def test_growth_is_a_fraction_shown_as_percent(demo, demo_xlsx):
    cells = row_of(workbook(demo_xlsx)["指标"], "公共财政收入")
    assert cells[4].value == pytest.approx(0.1084)  # 7.26 / 6.55 − 1
    assert "%" in cells[4].number_format


def test_every_sheet_states_the_park_year_and_generation_time(demo, demo_xlsx):
    book = workbook(demo_xlsx)
    for sheet in book.worksheets:
        header = [[cell.value for cell in row[:2]] for row in sheet.iter_rows(min_row=1, max_row=6)]
        texts = [str(v) for row in header for v in row if v is not None]
        assert any("怀化高新区" in t for t in texts), sheet.title
        assert "2019" in texts, sheet.title
        assert any(hasattr(v, "hour") for row in header for v in row), f"{sheet.title}: no generation time"


def test_workbook_has_no_formula_cells(hostile):
    content = xlsx_bytes()
    assert formula_elements(content) == 0
    for sheet in workbook(content).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"


def test_hostile_names_are_written_exactly_as_text(hostile):
    book = workbook(xlsx_bytes())
    top = row_of(book["企业"], HOSTILE_ENTERPRISE)
    assert top[0].data_type == "s"
    assert top[3].value == 500000 and '"万元"' in top[3].number_format
    assert row_of(book["指标"], HOSTILE_INDICATOR)[2].value == 12.5
    problems = [c.value for row in book["问题清单"].iter_rows() for c in row]
    assert HOSTILE_PROBLEM in problems


def payload_report() -> Report:
    """A report whose every kind of text (title, filters, paragraph, table title, header, cell, note, chart title)
    is a payload; the chart titles look like cell references."""
    table = ReportTable(
        key="t",
        title="=TABLE()",
        columns=["@name", "-amount"],
        rows=[[payload, Amount(Decimal(n), "万元")] for n, payload in enumerate(EXACT_PAYLOADS, start=1)],
        note="+note",
    )
    section = Section(
        key="overview",
        title="-section",
        paragraphs=["=1+1 paragraph", "_x0041_ paragraph"],
        tables=[table],
        charts=[Chart("column", "概览!A1", "t", [1]), Chart("bar", "=概览!$A$2（万元）", "t", [1])],
    )
    now = timezone.make_aware(datetime.datetime(2020, 3, 28, 9, 30))
    return Report(2019, "", "+86 745 1234567", "@zone", now, "=who", [section])


def test_every_text_of_the_workbook_reads_back_exactly_and_chart_titles_stay_text():
    buffer = io.BytesIO()
    write_report_xlsx(payload_report(), buffer)
    content = buffer.getvalue()
    assert formula_elements(content) == 0
    written = all_texts(content)
    for payload in [*EXACT_PAYLOADS, "=TABLE()", "@name", "-amount", "+note", "=1+1 paragraph", "_x0041_ paragraph"]:
        assert payload in written, payload
    assert any(text.startswith("+86 745 1234567") for text in written)
    assert not any(text.startswith("'") for text in written)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        charts = [archive.read(n).decode() for n in sorted(archive.namelist()) if n.startswith("xl/charts/chart")]
    assert len(charts) == 2
    # Each title is a run of text, not a reference to a cell (<c:f> inside <c:title>).
    titles = [chart[chart.index("<c:title>") : chart.index("</c:title>")] for chart in charts]
    assert ["<c:f>" in title for title in titles] == [False, False]
    assert "<a:t>概览!A1</a:t>" in titles[0] and "<a:t>=概览!$A$2（万元）</a:t>" in titles[1]


def test_number_formats_keep_units_literal():
    assert number_format("亿元", 2) == '#,##0.00"亿元"'
    assert number_format("万元", 0) == '#,##0"万元"'
    assert number_format("%", 2) == "0.00%"
    assert number_format("位", 0) == '"第"0"位"'
    assert number_format('元"x', 1) == '#,##0.0"元x"'


def test_a_park_report_names_the_park(demo):
    from parks.models import Park

    book = workbook(xlsx_bytes(park=Park.objects.get(code="core")))
    assert any("高新区本部" in str(c.value) for row in book["概览"].iter_rows(max_row=4) for c in row)


def test_pdf_is_a_pdf(demo, demo_pdf):
    assert demo_pdf.startswith(b"%PDF")


def test_pdf_embeds_a_subset_of_a_truetype_chinese_font_and_relies_on_no_reader_font(demo, demo_pdf):
    fonts = set(re.findall(rb"/BaseFont\s*/([^\s/>]+)", demo_pdf))
    assert fonts, "no font in the PDF"
    # Every font is a subset (a six-letter tag and '+') of WenQuanYi Micro Hei, embedded as TrueType (FontFile2).
    assert all(re.fullmatch(rb"[A-Z]{6}\+WenQuanYiMicroHei.*", name) for name in fonts), fonts
    assert demo_pdf.count(b"/FontFile2") == len(fonts)
    assert b"STSong" not in demo_pdf and b"Helvetica" not in demo_pdf


@pytest.mark.skipif(PDFFONTS is None, reason="pdffonts (poppler-utils) is not installed")
def test_pdffonts_lists_only_embedded_subsets(demo, demo_pdf, tmp_path):
    path = tmp_path / "report.pdf"
    path.write_bytes(demo_pdf)
    lines = subprocess.run([PDFFONTS, str(path)], capture_output=True, check=True).stdout.decode().splitlines()[2:]
    assert lines
    for line in lines:
        name, kind, _encoding, embedded, subset, *_rest = line.split()
        assert (kind, embedded, subset) == ("TrueType", "yes", "yes"), line
        assert "+WenQuanYiMicroHei" in name


@pytest.mark.parametrize("kind", ["missing", "not-truetype"])
def test_without_a_usable_font_the_pdf_fails_with_a_message_that_says_what_to_do(settings, tmp_path, kind):
    path = tmp_path / "font.ttc"
    if kind == "not-truetype":
        path.write_bytes(b"OTTO" + b"\0" * 200)  # an OpenType (CFF) header: reportlab cannot embed it
    settings.PDF_FONT = str(path)
    with pytest.raises(PdfFontError, match="fonts-wqy-microhei") as raised:
        write_report_pdf(payload_report(), io.BytesIO())
    assert str(path) in str(raised.value) and "PARKADMIN_PDF_FONT" in str(raised.value)


def test_the_pdf_download_without_its_font_says_so_on_the_report_page_and_records_nothing(
    demo, admin_client, settings, tmp_path
):
    settings.PDF_FONT = str(tmp_path / "missing.ttf")
    response = admin_client.get("/reports/annual.pdf", {"year": 2019}, follow=True)
    assert response.redirect_chain == [("/reports/?year=2019", 302)]
    assert "fonts-wqy-microhei" in response.content.decode()
    assert not ReportExport.objects.exists()
    settings.PDF_FONT = str(tmp_path / "missing.ttf")
    with pytest.raises(CommandError, match="PARKADMIN_PDF_FONT"):
        call_command("export_report", "--year", "2019", "--format", "pdf", "--output", str(tmp_path / "r.pdf"))
    assert not (tmp_path / "r.pdf").exists()


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdf_holds_the_chinese_text(demo, demo_pdf, tmp_path):
    text = pdf_text(demo_pdf, tmp_path)
    assert "怀化高新区" in text
    assert "公共财政收入" in text
    assert "2017—2019年" in text  # the summary
    assert "公共财政收入（亿元）" in text  # a chart's title, drawn in the same font
    assert "第 1 页，共" in text  # the footer


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdf_text_extracts_as_written(tmp_path):
    buffer = io.BytesIO()
    write_report_pdf(payload_report(), buffer)
    text = pdf_text(buffer.getvalue(), tmp_path)
    for written in ("+86 745 1234567", "=TABLE()", "概览!A1", "＝1+1", "_x0041_", "<script>alert(1)</script>"):
        assert written in text, written


@pytest.mark.skipif(PDFTOTEXT is None, reason="pdftotext (poppler-utils) is not installed")
def test_pdf_prints_markup_as_text(hostile, tmp_path):
    text = pdf_text(pdf_bytes(), tmp_path)
    assert HOSTILE_INDICATOR in text
    assert HOSTILE_ENTERPRISE in text
