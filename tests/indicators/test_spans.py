"""Values over several years (spans: 2017—2019 累计 / 年均): how they are stored, validated, entered through the form,
the API and an import, and kept out of every yearly series."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from indicators import narrative, selectors
from indicators.choices import SpanKind, ValueStatus
from indicators.models import IndicatorValue
from indicators.services import indicator_value_save
from parkadmin.imports.kinds import registry
from tests.factories import IndicatorFactory, IndicatorValueFactory
from tests.harness import make_user
from tests.imports.files import csv_bytes, named

pytestmark = pytest.mark.django_db
D = Decimal


def approved(indicator, year, value, **kwargs):
    return IndicatorValueFactory(indicator=indicator, year=year, value=D(value), status=ValueStatus.APPROVED, **kwargs)


@pytest.fixture
def patents():
    return IndicatorFactory(code="t_patents", name="专利授权", unit="项", decimals=0)


def test_a_span_is_saved_with_its_first_year_and_kind_and_reads_as_its_period(patents):
    value = indicator_value_save(
        indicator=patents, year=2019, span_start=2017, span_kind=SpanKind.TOTAL, value=D(365), approve=True
    )
    assert (value.span_start, value.year, value.span_kind, value.is_span) == (2017, 2019, "total", True)
    assert value.period_label == "2017—2019年累计"  # Chinese is the default language
    assert "2017—2019年累计" in str(value)


@pytest.mark.parametrize(
    ("start", "kind", "field"),
    [
        (2019, SpanKind.TOTAL, "span_start"),
        (2020, SpanKind.AVERAGE, "span_start"),
        (2017, "", "span_kind"),
        (None, SpanKind.TOTAL, "span_start"),
    ],
)
def test_a_span_must_start_before_its_last_year_and_say_its_kind(patents, start, kind, field):
    with pytest.raises(ValidationError) as refused:
        indicator_value_save(indicator=patents, year=2019, span_start=start, span_kind=kind, value=D(1))
    assert field in refused.value.message_dict
    assert not IndicatorValue.objects.exists()


def test_the_database_refuses_a_span_that_does_not_start_before_its_end(patents):
    # The model's save checks its constraints first; the database refuses it too.
    with pytest.raises((IntegrityError, ValidationError)), transaction.atomic():
        IndicatorValue.objects.create(indicator=patents, year=2019, span_start=2019, span_kind="total", value=D(1))


def test_a_span_and_the_years_own_value_live_side_by_side_but_each_once(patents):
    approved(patents, 2019, "120")
    approved(patents, 2019, "365", span_start=2017, span_kind=SpanKind.TOTAL)
    with pytest.raises((IntegrityError, ValidationError)), transaction.atomic():
        approved(patents, 2019, "366", span_start=2017, span_kind=SpanKind.TOTAL)
    assert IndicatorValue.objects.single_years().get().value == 120
    assert IndicatorValue.objects.spans().get().value == 365


def test_a_span_never_enters_the_yearly_series_its_growth_or_cagr(patents):
    approved(patents, 2017, "100")
    approved(patents, 2018, "125")
    approved(patents, 2019, "365", span_start=2017, span_kind=SpanKind.TOTAL)
    series = selectors.indicator_series(patents)
    assert [(p["year"], p["value"], p["yoy_pct"]) for p in series["points"]] == [
        (2017, 100, None),
        (2018, 125, D("25.00")),
    ]
    assert series["cagr_pct"] == D("25.00")  # 2017→2018 only; 365 over 2017—2019 would read as +91%
    assert selectors.series_of_zone(patents) == {2017: D(100), 2018: D(125)}
    assert dict(selectors.approved_series(2019)[patents.pk]) == {2017: D(100), 2018: D(125)}
    assert [v.value for v in selectors.spans_until(2019)[patents.pk]] == [D(365)]


def test_a_span_is_not_checked_against_the_yearly_series(patents):
    """365 over three years against last year's 125 is no +192% jump: a span meets its bounds only."""
    approved(patents, 2018, "125")
    value = indicator_value_save(indicator=patents, year=2019, span_start=2017, span_kind=SpanKind.TOTAL, value=D(365))
    assert value.status == ValueStatus.DRAFT
    with pytest.raises(ValidationError):  # a year's own 365 would need an explanation
        indicator_value_save(indicator=patents, year=2019, value=D(365))


def test_the_summary_tells_a_span_with_its_years_never_as_the_years_figure(patents):
    growth = IndicatorFactory(code="t_growth_avg", name="工业增加值年均增长率", unit="%", decimals=2, min_value=None)
    funds = IndicatorFactory(code="t_funds", name="到位资金", unit="万元", decimals=0)
    spans = [
        (growth, approved(growth, 2019, "15.09", span_start=2017, span_kind=SpanKind.AVERAGE)),
        (patents, approved(patents, 2019, "365", span_start=2017, span_kind=SpanKind.TOTAL)),
    ]
    sentences = narrative.summary(2019, "园区", [(funds, [(2019, D(8600))])], spans)
    assert sentences == [
        "2017—2019年，园区工业增加值年均增长率15.09%，专利授权累计365项；",
        "2019年，园区到位资金8600万元。",
    ]
    assert narrative.summary(2020, "园区", [], spans) == []  # a span ending in 2019 is not 2020's


def test_the_api_takes_and_documents_a_span(admin_client, patents):
    answer = admin_client.post(
        "/api/indicator-values/",
        {"indicator": "t_patents", "year": 2019, "span_start": 2017, "span_kind": "total", "value": "365"},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert (body["span_start"], body["span_kind"], body["year"]) == (2017, "total", 2019)
    assert body["period_label"] == "2017—2019年累计"
    refused = admin_client.post(
        "/api/indicator-values/",
        {"indicator": "t_patents", "year": 2019, "span_start": 2019, "span_kind": "total", "value": "1"},
        content_type="application/json",
    )
    assert refused.status_code == 400 and "span_start" in refused.json()
    schema = admin_client.get("/api/schema/", {"format": "json"}).json()
    fields = schema["components"]["schemas"]["IndicatorValue"]["properties"]
    assert {"span_start", "span_kind", "period_label"} <= set(fields)
    assert "first year" in fields["span_start"]["description"]


def test_the_form_takes_a_span_and_refuses_a_start_after_the_end(admin_client, patents):
    page = admin_client.post(
        "/indicators/values/add/",
        {"indicator": "t_patents", "park": "", "year": 2019, "span_start": 2020, "span_kind": "total", "value": "5"},
    )
    assert page.status_code == 200 and not IndicatorValue.objects.exists()
    assert "起始年份须早于截止年份" in page.content.decode()
    saved = admin_client.post(
        "/indicators/values/add/",
        {"indicator": "t_patents", "park": "", "year": 2019, "span_start": 2017, "span_kind": "total", "value": "5"},
    )
    assert saved.status_code == 302
    assert IndicatorValue.objects.get().span_start == 2017


def test_an_import_takes_the_span_columns_in_chinese(patents):
    importer = registry()["indicator-values"](user=make_user("statistics"))
    data = csv_bytes(
        ["指标代码", "年份", "起始年份", "跨年类型", "数值"],
        [["t_patents", 2019, 2017, "累计", 365], ["t_patents", 2019, "", "", 120]],
    )
    result = importer.run(named(data, "values.csv"), name="values.csv")
    assert result.ok, result.errors
    assert sorted(IndicatorValue.objects.values_list("value", "span_start", "span_kind")) == [
        (D(120), None, ""),
        (D(365), 2017, "total"),
    ]
    bad = csv_bytes(["指标代码", "年份", "起始年份", "跨年类型", "数值"], [["t_patents", 2018, 2019, "年均", 5]])
    assert not importer.run(named(bad, "bad.csv"), name="bad.csv").ok


def test_the_values_list_and_its_export_show_the_span(admin_client, patents):
    approved(patents, 2019, "365", span_start=2017, span_kind=SpanKind.TOTAL)
    approved(patents, 2018, "125")
    html = admin_client.get("/indicators/values/").content.decode()
    assert "累计" in html
    export = admin_client.get("/indicators/values/", {"export": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    header = rows[0]
    by_year = {row[header.index("年度")]: row for row in rows[1:]}
    span_start = header.index("起始年份")
    assert by_year["2019"][span_start] == "2017" and by_year["2019"][header.index("跨年类型")] == "累计"
    assert by_year["2018"][span_start] == ""  # a year's own value: blank, not 0


def test_the_indicator_list_shows_a_span_only_indicators_latest_span_with_its_period(admin_client, patents):
    approved(patents, 2019, "365", span_start=2017, span_kind=SpanKind.TOTAL)

    def exported() -> list[list[str]]:
        answer = admin_client.get("/indicators/", {"export": "csv"})
        return list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode("utf-8-sig"))))

    rows = exported()
    header, row = rows[0], next(r for r in rows if "t_patents" in r)
    assert row[header.index("最新年度")] == "2017—2019年累计"
    assert D(row[header.index("最新数值")]) == 365
    approved(patents, 2020, "120")  # a year's own value comes first once it exists
    row = next(r for r in exported() if "t_patents" in r)
    assert row[header.index("最新年度")] == "2020"
