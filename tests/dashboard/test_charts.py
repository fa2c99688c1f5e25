"""Each dashboard chart builder on small hand-built data: right values, right order, escaped labels."""

from decimal import Decimal

import plotly.graph_objects as go

from dashboard import charts
from indicators import narrative
from parkadmin import formatting

D = Decimal


def plotted(spec: dict) -> go.Figure:
    """The figure as plotly's graph objects read it: this validates every property, and reads like them."""
    return go.Figure(spec)


def test_cluster_mix_keeps_order_colours_links_and_escapes_names():
    clusters = [
        {"name": "<img src=x onerror=alert(1)>", "count": 3, "color": "#111111", "url": "/enterprises/?cluster=A"},
        {"name": "电子信息", "count": 5, "color": "#222222", "url": "/enterprises/?cluster=B"},
    ]
    output = [{**c, "industrial_output": D("12.5")} for c in clusters]
    figure = plotted(charts.cluster_mix_chart(clusters, output))
    donut = figure.data[0]
    assert list(donut.values) == [3, 5]
    assert list(donut.labels) == ["&lt;img src=x onerror=alert(1)&gt;", "电子信息"]
    assert list(donut.customdata) == ["/enterprises/?cluster=A", "/enterprises/?cluster=B"]
    assert list(donut.marker.colors) == ["#111111", "#222222"]
    assert list(figure.data[1].values) == [12.5, 12.5]


def test_pipeline_shows_live_stages_in_order_with_amounts_in_yi():
    by_stage = [
        {"stage": "negotiating", "name": "洽谈", "count": 4, "amount": D("250000"), "url": "/p/?stage=negotiating"},
        {"stage": "signed", "name": "签约", "count": 2, "amount": D("12000"), "url": "/p/?stage=signed"},
        {"stage": "dropped", "name": "终止", "count": 9, "amount": D("1"), "url": "/p/?stage=dropped"},
    ]
    funnel = plotted(charts.pipeline_chart(by_stage)).data[0]
    assert list(funnel.y) == ["洽谈", "签约"]
    assert list(funnel.x) == [4, 2]
    assert list(funnel.text) == ["4 · 25.00亿元", "2 · 1.20亿元"]


def test_funds_are_monthly_and_cumulative_against_the_target():
    months = [D(0)] * 12
    months[2], months[5] = D("100"), D("50.5")
    figure = plotted(charts.funds_chart(months, D("1000"), "/projects/fund-arrivals/?year=2019"))
    bars, cumulative, target = figure.data
    assert bars.y[2] == 100 and bars.y[5] == 50.5
    assert cumulative.y[1] == 0 and cumulative.y[2] == 100 and cumulative.y[11] == 150.5
    assert set(target.y) == {1000.0}
    assert len(plotted(charts.funds_chart(months, None, "/")).data) == 2


def test_rankings_have_a_reversed_axis_and_their_field_in_the_name():
    ranking = {"name": "全省高新区排名", "points": [(2018, D(16)), (2019, D(8))], "out_of": D(37), "url": "/i/rank/"}
    figure = plotted(charts.rankings_chart([ranking]))
    line = figure.data[0]
    assert figure.layout.yaxis.autorange == "reversed"
    assert list(line.x) == ["2018", "2019"] and list(line.y) == [16, 8]
    assert line.name == "全省高新区排名（共37）"
    assert list(line.text) == ["第16位", "第8位"]


def test_problems_chart_links_open_and_overdue_separately():
    rows = [{"name": "用地", "open": 3, "overdue": 1, "url": "/open", "overdue_url": "/overdue"}]
    open_bars, overdue_bars = plotted(charts.problems_chart(rows)).data
    assert (list(open_bars.y), list(overdue_bars.y)) == ([3], [1])
    assert (open_bars.customdata[0], overdue_bars.customdata[0]) == ("/open", "/overdue")


def test_trends_have_one_panel_per_indicator_with_data():
    trends = [
        {"name": "公共财政收入", "unit": "亿元", "points": [(2017, D("7.01")), (2019, D("7.26"))], "url": "/i/f/"},
        {"name": "无数据", "unit": "家", "points": [], "url": "/i/x/"},
    ]
    figure = plotted(charts.trends_chart(trends))
    assert len(figure.data) == 1
    assert list(figure.data[0].y) == [7.01, 7.26]
    assert figure.layout.annotations[0].text == "公共财政收入（亿元）"


def test_incubation_chart_puts_reported_totals_beside_the_records():
    years = [
        {"year": 2019, "incubating": 5, "graduated": 2, "url": "/i"},
        {"year": 2020, "incubating": 6, "graduated": 1, "url": "/i"},
    ]
    figure = plotted(charts.incubation_chart(years, {"incubating": [(2020, D(69))], "graduated": []}))
    assert [trace.type for trace in figure.data] == ["bar", "bar", "scatter"]
    assert list(figure.data[2].y) == [69]


def test_narrative_formats_each_figure_in_its_unit():
    assert formatting.value_in_unit(D("7.010000"), "亿元", 2) == "7.01亿元"
    assert formatting.value_in_unit(D("358.700000"), "亿元", 2) == "358.7亿元"
    assert formatting.value_in_unit(D("18"), "个", 0) == "18个"
    assert formatting.value_in_unit(D("8"), "位", 0) == "第8位"
    sentence = narrative.series_sentence(
        "园区", "公共财政收入", "亿元", 2, [(2017, D("7.01")), (2018, D("6.55")), (2019, D("7.26"))]
    )
    assert sentence == "2017—2019年，园区公共财政收入分别为7.01亿元、6.55亿元、7.26亿元，年均增长1.77%"
    rank = narrative.change_sentence("园区", "全省高新区排名", "位", 0, (2018, D(16)), (2019, D(8)))
    assert rank == "园区全省高新区排名从2018年的第16位提升至2019年的第8位"
