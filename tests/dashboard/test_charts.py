"""Each dashboard chart builder on small hand-built data: right values, right order, escaped labels."""

from decimal import Decimal

import plotly.graph_objects as go
from django.utils import translation

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
    month_urls = [f"/f/?month={m}" for m in range(1, 13)]
    figure = plotted(charts.funds_chart(months, D("1000"), month_urls))
    bars, cumulative, target = figure.data
    assert bars.y[2] == 100 and bars.y[5] == 50.5
    assert cumulative.y[1] == 0 and cumulative.y[2] == 100 and cumulative.y[11] == 150.5
    assert set(target.y) == {1000.0}
    # A month's bar opens that month's arrivals.
    assert bars.customdata[2] == "/f/?month=3"
    assert len(plotted(charts.funds_chart(months, None, month_urls)).data) == 2


def test_rankings_have_a_reversed_axis_and_their_field_in_the_name():
    ranking = {"name": "全省高新区排名", "points": [(2018, D(16)), (2019, D(8))], "out_of": D(37), "url": "/i/rank/"}
    figure = plotted(charts.rankings_chart([ranking]))
    line = figure.data[0]
    low_best = figure.layout.yaxis.range
    assert low_best[0] > 16 and 0.5 <= low_best[1] < 8  # reversed: the best (lowest) rank at the top, no rank 0
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
        {"year": 2019, "incubating": 5, "graduated": 2, "url": "/i", "graduated_url": "/g"},
        {"year": 2020, "incubating": 6, "graduated": 1, "url": "/i", "graduated_url": "/g"},
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


def notes(figure: dict) -> list[str]:
    return [a["text"] for a in figure["layout"].get("annotations", []) if a.get("font", {}).get("color") == "#6c757d"]


@translation.override("en")
def test_a_chart_with_nothing_to_show_is_a_sentence_not_an_empty_axis():
    empty_years = [
        {"year": y, "incubating": 0, "graduated": 0, "url": "/i", "graduated_url": "/g"} for y in (2019, 2020)
    ]
    stages = [{"stage": "signed", "name": "签约", "count": 0, "amount": None, "url": "/p"}]
    for figure, sentence in [
        (charts.incubation_chart(empty_years, {"incubating": [], "graduated": []}), "No incubation"),
        (charts.pipeline_chart(stages), "No projects"),
        (charts.rankings_chart([{"name": "排名", "points": [], "out_of": None, "url": "/r"}]), "No rankings"),
        (charts.trends_chart([{"name": "收入", "unit": "亿元", "points": [], "url": "/t"}]), "No approved values"),
    ]:
        plotted(figure)
        assert figure["data"] == []
        assert [text[: len(sentence)] for text in notes(figure)] == [sentence]
    # Reported incubation without records still draws its markers.
    reported = charts.incubation_chart(empty_years, {"incubating": [(2020, D(69))], "graduated": []})
    assert len(reported["data"]) == 3 and notes(reported) == []


@translation.override("en")
def test_an_empty_donut_gives_way_to_a_sentence_and_the_other_stays():
    clusters = [{"code": "A", "name": "新能源", "count": 3, "color": "#111111", "url": "/e"}]
    output = [{**clusters[0], "industrial_output": None}]
    figure = charts.cluster_mix_chart(clusters, output)
    plotted(figure)
    assert len(figure["data"]) == 1 and list(figure["data"][0]["values"]) == [3]
    assert figure["data"][0]["domain"]["x"] == [0.0, 1.0]  # the donut with figures takes the whole width
    assert notes(figure) == ["Industrial output (CNY 10k)：<br>No output reported for this year."]


def test_amount_and_count_axes_start_at_zero_and_ranks_do_not():
    from parkadmin.charts import TEMPLATE

    assert TEMPLATE["layout"]["yaxis"]["rangemode"] == "tozero"
    trends = [{"name": "财政收入", "unit": "亿元", "points": [(2018, D(6)), (2019, D(7))], "url": "/t"}] * 3
    layout = charts.trends_chart(trends)["layout"]
    assert {layout[f"yaxis{n}"]["rangemode"] for n in ("", "2", "3")} == {"tozero"}
    ranking = {"name": "排名", "points": [(2018, D(16)), (2019, D(8))], "out_of": D(37), "url": "/r"}
    figure = charts.rankings_chart([ranking])
    assert figure["layout"]["yaxis"]["range"][1] >= 0.5
    assert figure["data"][0]["cliponaxis"] is False  # the best rank's label is not cut at the top
