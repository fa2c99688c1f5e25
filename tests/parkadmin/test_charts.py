"""Figures are plotly's JSON written as plain dicts: each chart builder's figure must be one plotly accepts, and the
subplot grid we lay out by hand must be the one plotly's make_subplots would."""

from __future__ import annotations

import json
from decimal import Decimal

import plotly.graph_objects as go
import pytest
from plotly.subplots import make_subplots

from dashboard import charts as dashboard
from enterprises.charts import yearly_figures_chart
from indicators.charts import series_chart
from parkadmin.charts import TEMPLATE, figure, figure_data, grid, merged, note_if_empty
from projects import charts as project_charts
from reports.charts import report_figure
from reports.content import Chart, ReportTable

D = Decimal
CLUSTERS = [{"name": "电子信息", "count": 5, "color": "#222222", "url": "/e/", "industrial_output": D("12.5")}]
STAGES = [{"stage": "signed", "name": "签约", "count": 2, "amount": D("12000"), "url": "/p/"}]
PROBLEMS = [{"name": "用地", "open": 3, "overdue": 1, "url": "/o", "overdue_url": "/d"}]
TREND = {"name": "公共财政收入", "unit": "亿元", "points": [(2018, D("6.55")), (2019, D("7.26"))], "url": "/i/"}
COHORT = {
    "year": 2019,
    "signed": 4,
    "started_within": [{"months": m, "count": 2, "pct": 50.0, "url": "/p/"} for m in (6, 12, 24)],
    "production": 1,
    "dropped": 1,
    "urls": {"signed": "/p/", "production": "/p/", "dropped": "/p/"},
}
QUARTILES = {"count": 3, "median": 200.0, "q1": 150.0, "q3": 260.5}
NO_QUARTILES = {"count": 0, "median": None, "q1": None, "q3": None}
LEAD_ROW = {"name": "<b>电子信息</b>", "a": QUARTILES, "b": NO_QUARTILES, "urls": {"a": "/p/", "b": None}}
FUNDS_ROW = {
    "year": 2019,
    "url": "/p/",
    "points": [{"months": 6, "ratio_pct": 10.0}, {"months": 12, "ratio_pct": 30.0}, {"months": 24, "ratio_pct": None}],
}
REPORT_TABLE = ReportTable(
    key="t", title="表", columns=["园区", "企业", "产值"], rows=[["核心区", 3, 1.5], ["西区", 2, None]]
)

FIGURES = {
    "trends, none": lambda: dashboard.trends_chart([]),
    "trends, three": lambda: dashboard.trends_chart([TREND, TREND, TREND]),
    "clusters": lambda: dashboard.cluster_mix_chart(CLUSTERS, CLUSTERS),
    "pipeline": lambda: dashboard.pipeline_chart(STAGES),
    "funds": lambda: dashboard.funds_chart([D(1)] * 12, D(20), ["/f/"] * 12),
    "funds, none": lambda: dashboard.funds_chart([D(0)] * 12, None, ["/f/"] * 12),
    "rankings": lambda: dashboard.rankings_chart([{**TREND, "out_of": D(37)}]),
    "incubation": lambda: dashboard.incubation_chart(
        [{"year": 2019, "incubating": 5, "graduated": 2, "url": "/i", "graduated_url": "/g"}],
        {"incubating": [(2019, D(6))]},
    ),
    "problems": lambda: dashboard.problems_chart(PROBLEMS),
    "problems, none": lambda: dashboard.problems_chart([{**PROBLEMS[0], "open": 0, "overdue": 0}]),
    "enterprise years": lambda: yearly_figures_chart([(2019, 1.5, 2.0), (2018, None, 3.0)]),
    "indicator series": lambda: series_chart(
        name="收入",
        unit="亿元",
        points=[{"year": 2018, "value": D(1), "status": "approved"}, {"year": 2019, "value": D(2), "status": "draft"}],
        twin_name="台账",
        twin_points={2018: D(1)},
    ),
    "pipeline cohorts": lambda: project_charts.cohort_chart([COHORT]),
    "pipeline cohorts, none": lambda: project_charts.cohort_chart([]),
    "pipeline lead times": lambda: project_charts.lead_time_chart([LEAD_ROW], {"a": "签约→开工", "b": "开工→投产"}),
    "pipeline lead times, none": lambda: project_charts.lead_time_chart([], {"a": "签约→开工"}),
    "pipeline funds curve": lambda: project_charts.funds_curve_chart([FUNDS_ROW]),
    "pipeline funds curve, none": lambda: project_charts.funds_curve_chart([]),
    **{
        f"report {kind}": (lambda kind=kind: report_figure(Chart(kind, "图", "t", [1, 2]), REPORT_TABLE))
        for kind in ("column", "bar", "line", "pie")
    },
}


@pytest.mark.parametrize("name", FIGURES)
def test_every_figure_is_one_plotly_accepts(name):
    spec = FIGURES[name]()
    go.Figure(spec)  # raises on any property plotly does not know or any value it refuses
    data = figure_data(spec)
    assert json.loads(json.dumps(data)) == data
    assert data["layout"]["template"] == TEMPLATE
    assert len(json.dumps(data["layout"]["template"])) < 1500  # not plotly's whole default template (7 KB)


@pytest.mark.parametrize(
    ("rows", "cols", "horizontal", "vertical"),
    [(1, 1, 0.2, 0.3), (1, 2, 0.12, 0.18), (2, 2, 0.12, 0.18), (3, 2, 0.1, 0.05)],
)
def test_the_grid_is_the_one_make_subplots_lays_out(rows, cols, horizontal, vertical):
    titles = [f"图{n}" for n in range(rows * cols - 1)]  # one cell without a title
    theirs = make_subplots(
        rows=rows, cols=cols, subplot_titles=titles, horizontal_spacing=horizontal, vertical_spacing=vertical
    ).to_plotly_json()["layout"]
    ours, cells = grid(rows, cols, titles, horizontal_spacing=horizontal, vertical_spacing=vertical)
    axes = {key: value for key, value in theirs.items() if key.startswith(("xaxis", "yaxis"))}
    assert ours.keys() - {"annotations"} == axes.keys()
    for key, axis in axes.items():
        assert ours[key]["anchor"] == axis["anchor"]
        assert ours[key]["domain"] == pytest.approx(list(axis["domain"]))
    for mine, theirs_title in zip(ours.get("annotations", []), theirs.get("annotations", []), strict=True):
        assert {k: v for k, v in mine.items() if k not in ("x", "y")} == {
            k: v for k, v in theirs_title.items() if k not in ("x", "y")
        }
        assert (mine["x"], mine["y"]) == pytest.approx((theirs_title["x"], theirs_title["y"]))
    assert (
        cells[0] == {"xaxis": "x", "yaxis": "y"} and cells[-1]["xaxis"] == f"x{rows * cols if rows * cols > 1 else ''}"
    )


def test_layouts_merge_as_plotly_updates_them():
    base = {"margin": {"l": 50, "r": 20}, "font": {"size": 13}, "legend": {"x": 1}}
    assert merged(base, {"margin": {"l": 40}, "legend": "h"}) == {
        "margin": {"l": 40, "r": 20},
        "font": {"size": 13},
        "legend": "h",
    }
    assert base["margin"] == {"l": 50, "r": 20}  # the base is left as it was
    chart = figure([], margin={"t": 5})
    assert chart["layout"]["margin"] == {"l": 50, "r": 20, "t": 5, "b": 40}


def test_an_empty_chart_says_so_instead_of_drawing_axes():
    chart = note_if_empty(figure([{"type": "bar", "x": ["a"], "y": [0]}]), True, "暂无数据")
    assert chart["data"] == []
    assert chart["layout"]["xaxis"]["visible"] is False and chart["layout"]["yaxis"]["visible"] is False
    assert chart["layout"]["annotations"][-1]["text"] == "暂无数据"
    kept = figure([{"type": "bar"}])
    assert note_if_empty(kept, False, "x") is kept
