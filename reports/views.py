"""The reports page (/reports/): choose a year and a park, read the report, download it as XLSX or PDF, print it."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from indicators.selectors import default_year, year_choices
from parkadmin.charts import figure_data
from parkadmin.forms import StyledForm
from parks.models import Park
from reports import services
from reports.charts import report_figure
from reports.content import PRINT_ROWS, ReportTable, Section, is_numeric, report_cell_text
from reports.data import annual_report_data
from reports.models import ReportExport
from reports.pdf import PdfFontError

# Officials read and export; so does every role that may read the indicators.
READ_PERMISSION = "indicators.view_indicator"
RECENT_EXPORTS = 10


class ReportForm(StyledForm):
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1990, max_value=2100, widget=forms.Select)
    park = forms.ModelChoiceField(
        label=gettext_lazy("Park"),
        queryset=Park.objects.filter(parent__isnull=False).order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("Whole zone"),
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        # The years with values, this year and the default one; any other valid year asked for is added.
        asked = str(self.data.get("year", ""))
        also = [int(asked)] if asked.isdigit() and 1990 <= int(asked) <= 2100 else []
        years = year_choices(default_year(), *also)
        self.fields["year"].widget.choices = [(year, year) for year in years]


def chosen(request) -> ReportForm:
    """The form bound to the query string; by default the year most headline figures are in (default_year) and the
    whole zone."""
    data = request.GET.copy()
    if not data.get("year"):
        data["year"] = str(default_year())
    if data.get("park") and Park.objects.filter(code=data["park"], parent__isnull=True).exists():
        data["park"] = ""  # the zone itself: the whole zone
    return ReportForm(data)


def query(year: int, park: Park | None) -> str:
    return urlencode({"year": year, **({"park": park.code} if park else {})})


@require_GET
@permission_required(READ_PERMISSION, raise_exception=True)
def report_page(request):
    form = chosen(request)
    context = {
        "form": form,
        "recent_exports": ReportExport.objects.select_related("user")[:RECENT_EXPORTS],
        "print_rows": PRINT_ROWS,
    }
    if not form.is_valid():
        return render(request, "reports/annual.html", context, status=400)
    year, park = form.cleaned_data["year"], form.cleaned_data["park"]
    report = annual_report_data(year, park, user=request.user)
    sections = [page_section(section) for section in report.sections]
    params = query(year, park)
    context.update(
        report=report,
        sections=sections,
        filters=[(name, report_cell_text(value)) for name, value in report.filters],
        xlsx_url=f"{reverse('reports_annual_xlsx')}?{params}",
        pdf_url=f"{reverse('reports_annual_pdf')}?{params}",
    )
    return render(request, "reports/annual.html", context)


def page_table(table: ReportTable) -> dict:
    columns = table.print_columns()
    rows = [
        [(report_cell_text(values[c]), is_numeric(values[c])) for c in columns] for values in table.rows[:PRINT_ROWS]
    ]
    total = table.total if table.total is not None else len(table.rows)
    return {
        "key": table.key,
        "title": table.title,
        "columns": [table.columns[c] for c in columns],
        "narrowed": len(columns) < len(table.columns),
        "rows": rows,
        "note": table.note,
        "shown": len(rows),
        "total": total,
        "charts": [],
    }


def page_section(section: Section) -> dict:
    """A section as the page shows it: texts formatted, long lists shortened, charts as plotly figures."""
    tables = [page_table(table) for table in section.tables]
    for index, chart in enumerate(section.drawable_charts()):
        table = next(t for t in tables if t["key"] == chart.table)
        table["charts"].append(
            {
                "id": f"chart-{section.key}-{index}",
                "title": chart.title,
                "figure": figure_data(report_figure(chart, section.table(chart.table))),
            }
        )
    return {
        "key": section.key,
        "sheet": section.sheet,
        "title": section.title,
        "paragraphs": section.paragraphs,
        "tables": tables,
    }


def download(request, fmt: str):
    form = chosen(request)
    if not form.is_valid():
        context = {"form": form, "recent_exports": ReportExport.objects.none(), "print_rows": PRINT_ROWS}
        return render(request, "reports/annual.html", context, status=400)
    buffer = io.BytesIO()
    year, park = form.cleaned_data["year"], form.cleaned_data["park"]
    try:
        written = services.annual_report_export(
            year=year, park=park, fmt=fmt, target=buffer, user=request.user, via=ReportExport.Via.WEB
        )
    except PdfFontError as error:  # the server lacks the PDF's font: say so on the report's page
        messages.error(request, str(error))
        return redirect(f"{reverse('reports')}?{query(year, park)}")
    buffer.seek(0)
    _writer, content_type = services.WRITERS[ReportExport.Format(fmt)]
    return FileResponse(buffer, as_attachment=True, filename=written.record.file_name, content_type=content_type)


@require_GET
@permission_required(READ_PERMISSION, raise_exception=True)
def annual_xlsx(request):
    return download(request, ReportExport.Format.XLSX)


@require_GET
@permission_required(READ_PERMISSION, raise_exception=True)
def annual_pdf(request):
    return download(request, ReportExport.Format.PDF)
