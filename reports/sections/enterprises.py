"""The report's enterprises section (企业): enterprises by cluster and park, their yearly figures' totals and the
largest by revenue."""

from __future__ import annotations

from django.utils.translation import gettext as _

from enterprises import selectors as enterprise_selectors
from parkadmin.formatting import growth_pct
from parks.models import Park
from reports.content import Amount, Chart, ReportTable, Section, count, pct, wan

TOP_ENTERPRISES = 20


def enterprises_section(year: int, park: Park | None) -> Section:
    section = Section("enterprises", _("Enterprises"))
    clusters = enterprise_selectors.enterprises_by_cluster(park=park)
    output = {row["code"]: row for row in enterprise_selectors.year_totals_by_cluster(year=year, park=park)}
    empty = {"enterprises": 0, "industrial_output": None, "revenue": None}
    section.tables.append(
        ReportTable(
            "by_cluster",
            _("By industry cluster"),
            [
                _("Industry cluster"),
                _("Enterprises in the zone"),
                _("Reporting figures for the year"),
                _("Industrial output"),
                _("Revenue"),
            ],
            [
                [
                    row["name"],
                    count(row["count"], "家"),
                    count(output.get(row["code"], empty)["enterprises"], "家"),
                    wan(output.get(row["code"], empty)["industrial_output"]),
                    wan(output.get(row["code"], empty)["revenue"]),
                ]
                for row in clusters
            ],
            note=_("Enterprises in the zone: as at generation. Output and revenue: the year's reported figures."),
        )
    )
    cluster_colors = [row["color"] for row in clusters]  # as the dashboard paints them
    section.charts += [
        Chart("pie", _("Enterprises by industry cluster"), "by_cluster", [1], unit="家", colors=cluster_colors),
        Chart(
            "column",
            _("Industrial output by industry cluster (CNY 10k)"),
            "by_cluster",
            [3],
            unit="万元",
            colors=cluster_colors,
        ),
    ]
    by_park = enterprise_selectors.enterprises_by_park(park=park)
    section.tables.append(
        ReportTable(
            "by_park",
            _("By park"),
            [_("Park"), _("Enterprises in the zone")],
            [[row["name"], count(row["count"], "家")] for row in by_park],
        )
    )
    section.charts.append(Chart("bar", _("Enterprises by park"), "by_park", [1], unit="家"))

    now = enterprise_selectors.year_totals(year=year, park=park)
    before = enterprise_selectors.year_totals(year=year - 1, park=park)
    hitech = [enterprise_selectors.hitech_enterprise_count(year=y, park=park) for y in (year, year - 1)]
    figures = [
        (_("Enterprises reporting figures"), "reporting", "家", 0),
        (_("Revenue"), "revenue", "万元", 2),
        (_("Industrial output"), "industrial_output", "万元", 2),
        (_("Tax paid"), "tax", "万元", 2),
        (_("R&D spending"), "rd_expense", "万元", 2),
        (_("Employees"), "employees", "人", 0),
        (_("Exports"), "export_value", "万美元", 2),
        (_("Patents granted"), "patents_granted", "件", 0),
    ]
    rows = [
        [
            label,
            Amount(now[key], unit, places),
            Amount(before[key], unit, places),
            pct(growth_pct(now[key], before[key])),
        ]
        for label, key, unit, places in figures
    ]
    rows.append(
        [
            _("High-tech enterprises at year end"),
            count(hitech[0], "家"),
            count(hitech[1], "家"),
            pct(growth_pct(hitech[0], hitech[1])),
        ]
    )
    section.tables.append(
        ReportTable(
            "totals",
            _("Enterprises' yearly figures, totals"),
            [_("Figure"), _("This year"), _("Last year"), _("Year on year")],
            rows,
        )
    )

    top = enterprise_selectors.largest_by_revenue(year=year, park=park, limit=TOP_ENTERPRISES)
    section.tables.append(
        ReportTable(
            "top",
            _("Largest enterprises by revenue"),
            [_("Enterprise"), _("Industry cluster"), _("Park"), _("Revenue"), _("Industrial output"), _("Tax paid")],
            [
                [
                    record.enterprise.name,
                    record.enterprise.cluster.local_name if record.enterprise.cluster else "—",
                    record.enterprise.park.local_name if record.enterprise.park else "—",
                    wan(record.revenue),
                    wan(record.industrial_output),
                    wan(record.tax),
                ]
                for record in top
            ],
            wide=[0],
        )
    )
    return section
