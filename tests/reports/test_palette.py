"""One palette for every surface: the report paints the industry clusters in the colours the dashboard gives them."""

import pytest

from dashboard import charts as dashboard_charts
from enterprises.selectors import enterprises_by_cluster
from reports.charts import report_figure
from reports.data import annual_report_data
from reports.pdf import draw_chart


def test_the_reports_cluster_charts_use_the_dashboards_cluster_colours(demo):
    clusters = enterprises_by_cluster()
    colours = [row["color"] for row in clusters]
    assert len(set(colours)) == len(colours) > 1
    for row in clusters:
        row["url"] = "/"
    dashboard_pie = dashboard_charts.cluster_mix_chart(clusters, [])["data"][0]

    report = annual_report_data(2019)
    section = next(s for s in report.sections if s.key == "enterprises")
    pie, column = (c for c in section.charts if c.table == "by_cluster")
    table = section.table("by_cluster")
    assert report_figure(pie, table)["data"][0]["marker"]["colors"] == dashboard_pie["marker"]["colors"] == colours
    assert report_figure(column, table)["data"][0]["marker"]["color"] == colours

    # The PDF draws the same colours: each slice it draws (clusters with enterprises) in its cluster's colour.
    drawing = draw_chart(pie, table, 300, 200)
    drawn = [
        slice_.fillColor.hexval().lower().replace("0x", "#")
        for shape in drawing.contents
        if shape.__class__.__name__ == "Pie"
        for slice_ in (shape.slices[i] for i in range(len(shape.data)))
    ]
    assert drawn == [c.lower() for row, c in zip(clusters, colours, strict=True) if row["count"]]


@pytest.fixture
def demo(db):
    import demo as demo_data

    demo_data.load(with_accounts=False)
