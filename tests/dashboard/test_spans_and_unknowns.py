"""Periods and unknowns on the dashboard: a value over several years shown with its span and never as a year's,
an unknown shown as 未填报 (never 0) and left out of sums with a count, and the reconciliation's three verdicts."""

import csv
import io
import json
import re
from decimal import Decimal

import pytest

from dashboard import charts
from dashboard.selectors import indicator_cards
from demo import load
from indicators.choices import Kind, SpanKind, ValueStatus
from indicators.selectors import AGREES, DISAGREES, INCOMPLETE, reconciliation, reconciliation_verdict
from parkadmin import computed
from projects import selectors as project_selectors
from projects.choices import Stage
from tests.factories import IndicatorFactory, IndicatorValueFactory, ProjectFactory

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def demo(db):
    load(with_accounts=False)


def text_of(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_the_demos_three_year_figures_are_spans_on_the_2019_dashboard(official_client, demo):
    html = official_client.get("/", {"year": 2019}).content.decode()
    text = text_of(html)
    assert "知识产权授权 365项 2017—2019年累计" in text
    assert "到位科技口资金 8,600万元 2017—2019年累计" in text or "到位科技口资金 8600万元 2017—2019年累计" in text
    assert "技工贸收入年均增长率 23.62% 2017—2019年年均" in text
    # the summary tells them with their span, not as 2019's
    assert (
        "2017—2019年，园区技工贸收入年均增长率23.62%，工业增加值年均增长率15.09%，固定资产投资年均增长率16.58%，知识产权授权累计365项，到位科技口资金累计8600万元；"
        in text
    )
    year_sentence = text[text.index("；2019年，园区") :]
    assert "知识产权授权" not in year_sentence.split("。")[0]
    data = official_client.get("/api/dashboard/", {"year": 2019}).json()
    ip = next(i for i in data["indicators"] if i["code"] == "ip_granted")
    assert (ip["value"], ip["span_start"], ip["span_kind"], ip["yoy_pct"], ip["target_pct"]) == (
        365.0,
        2017,
        "total",
        None,
        None,
    )
    fiscal = next(i for i in data["indicators"] if i["code"] == "fiscal_revenue")
    assert (fiscal["span_start"], fiscal["span_kind"]) == (None, "")


def test_a_span_is_not_a_card_of_its_last_year_nor_of_the_next(db):
    patents = IndicatorFactory(code="t_patents", name="专利授权", unit="项", decimals=0, is_headline=True)
    IndicatorValueFactory(indicator=patents, year=2018, value=D(100), status=ValueStatus.APPROVED)
    IndicatorValueFactory(
        indicator=patents, year=2019, value=D(365), span_start=2017, span_kind=SpanKind.TOTAL, status="approved"
    )
    [card_2019] = [c for c in indicator_cards(2019) if c.indicator == patents]
    assert (card_2019.value, card_2019.span_start, card_2019.yoy_pct, card_2019.period) == (
        D(365),
        2017,
        None,
        "2017—2019年累计",
    )
    [card_2020] = [c for c in indicator_cards(2020) if c.indicator == patents]
    assert (card_2020.value, card_2020.previous, card_2020.yoy_pct) == (None, None, None)  # 365 is not 2019's
    IndicatorValueFactory(indicator=patents, year=2019, value=D(120), status=ValueStatus.APPROVED)
    [card_2019] = [c for c in indicator_cards(2019) if c.indicator == patents]
    assert (card_2019.value, card_2019.span_start, card_2019.yoy_pct) == (D(120), None, D("20.00"))


def test_a_headline_card_without_a_value_says_not_reported(official_client, db):
    IndicatorFactory(code="t_empty", name="空指标", is_headline=True)
    html = official_client.get("/", {"year": 2019}).content.decode()
    card = html[html.index("空指标") :]
    assert "未填报" in card[: card.index("</a>")]


@pytest.fixture
def unknown_amounts(db):
    known = ProjectFactory(name="已知项目", stage=Stage.PRODUCTION, contract_investment=D(12000))
    unknown = ProjectFactory(name="鸿蒙项目", stage=Stage.PRODUCTION, contract_investment=None)
    alone = ProjectFactory(name="未填项目", stage=Stage.CONSTRUCTION, contract_investment=None)
    return known, unknown, alone


def test_a_sum_leaves_out_the_unknown_amounts_and_says_how_many(unknown_amounts):
    by_stage = {row["stage"]: {**row, "url": "/projects/"} for row in project_selectors.pipeline_by_stage()}
    assert (by_stage["production"]["count"], by_stage["production"]["amount"]) == (2, D(12000))
    assert by_stage["production"]["amount_missing"] == 1
    assert (by_stage["construction"]["amount"], by_stage["construction"]["amount_missing"]) == (None, 1)
    assert (by_stage["signed"]["amount"], by_stage["signed"]["amount_missing"]) == (D(0), 0)  # no project: 0
    funnel = charts.pipeline_chart(list(by_stage.values()))["data"][0]
    texts = dict(zip(funnel["y"], funnel["text"], strict=True))
    assert texts[str(Stage.PRODUCTION.label)] == "2 · 1.20亿元（1 项未填报）"
    assert texts[str(Stage.CONSTRUCTION.label)] == "1 · 未填报"
    assert all("0.00亿元" not in text for text in funnel["text"] if text.startswith(("1", "2")))


def test_the_yearly_signed_investment_of_unknowns_only_is_unknown(db):
    ProjectFactory(stage=Stage.SIGNED, contract_investment=None)
    figures = project_selectors.yearly_figures(year=2019)
    assert (figures["signed_count"], figures["signed_investment"], figures["signed_investment_missing"]) == (1, None, 1)


def test_an_unknown_amount_is_blank_in_the_project_list_and_its_export(admin_client, unknown_amounts):
    html = admin_client.get("/projects/", {"q": "鸿蒙"}).content.decode()
    row = html[html.index("鸿蒙项目") :]
    row = row[: row.index("</tr>")]
    assert "0.00" not in row and "0万元" not in row
    export = admin_client.get("/projects/", {"q": "鸿蒙", "export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    header, [line] = rows[0], rows[1:]
    assert line[header.index("合同投资额（万元）")] == ""


def test_the_board_says_how_many_amounts_are_unknown(admin_client, unknown_amounts):
    text = text_of(admin_client.get("/projects/board/").content.decode())
    assert "1.2亿元（1 项未填报）" in text
    assert "未填报" in text


@pytest.fixture
def measures(monkeypatch, db):
    """Three reported figures of 2019 and their twins from the records: 10 of 10, 4 of 10, 12 of 10."""
    figures = {"t_same": D(10), "t_fewer": D(4), "t_more": D(12)}
    for code, held in figures.items():
        reported = IndicatorFactory(code=code, name=code, unit="家", decimals=0)
        IndicatorValueFactory(indicator=reported, year=2019, value=D(10), status=ValueStatus.APPROVED)
        IndicatorFactory(code=f"{code}_records", kind=Kind.COMPUTED, reconciles=code, unit="家", decimals=0)
        monkeypatch.setitem(
            computed.REGISTRY,
            f"{code}_records",
            computed.ComputedIndicator(
                code=f"{code}_records", name=code, unit="家", category="other", compute=lambda y, p, v=held: v
            ),
        )
    return figures


def test_reconciliation_tells_agreeing_incomplete_and_disagreeing_records_apart(official_client, measures):
    verdicts = {row["code"]: row["verdict"] for row in reconciliation(2019)}
    assert verdicts == {"t_same": AGREES, "t_fewer": INCOMPLETE, "t_more": DISAGREES}
    text = text_of(official_client.get("/", {"year": 2019}).content.decode())
    assert "台账不全：已录入4家，统计上报10家" in text
    assert "台账与统计不一致：台账12家，统计上报10家" in text
    assert "1 项不一致" in text or "1 differs" in text or "1 项" in text
    assert "10.00" not in text and "4.00" not in text  # counts never with decimals
    data = official_client.get("/api/dashboard/", {"year": 2019}).json()
    assert {row["code"]: row["verdict"] for row in data["reconciliation"]} == verdicts


def test_records_marked_complete_that_hold_fewer_disagree(measures):
    from indicators.models import Indicator

    Indicator.objects.filter(code="t_fewer_records").update(records_complete=True)
    verdicts = {row["code"]: row["verdict"] for row in reconciliation(2019)}
    assert verdicts["t_fewer"] == DISAGREES


@pytest.mark.parametrize(
    ("reported", "records", "complete", "verdict"),
    [
        ("33", "33", False, AGREES),
        ("33", "0", False, INCOMPLETE),
        ("33", None, False, INCOMPLETE),
        ("33", "34", False, DISAGREES),
        ("33", "20", True, DISAGREES),
        ("358.70", "358.704", False, AGREES),
    ],
)
def test_the_verdict_of_one_measure(reported, records, complete, verdict):
    held = None if records is None else D(records)
    assert reconciliation_verdict(D(reported), held, records_complete=complete) == verdict


def test_the_demo_dashboard_shows_no_zero_for_an_unknown_and_no_decimals_on_counts(official_client, demo):
    html = official_client.get("/", {"year": 2019}).content.decode()
    funnel = json.loads(re.search(r'<script id="chart-pipeline-data" type="application/json">(.*?)</script>', html)[1])
    texts = funnel["data"][0]["text"]
    # 鸿蒙's contract investment is not in the article: its stage leaves it out of the sum and says so, never 0.00亿元
    assert any(t.endswith("（1 项未填报）") for t in texts)
    assert not [t for t in texts if re.match(r"[1-9]\d* · 0\.00亿元", t)]
    assert not re.search(r"\d\.00 ?[家个项]", text_of(html))  # counts never with decimals
