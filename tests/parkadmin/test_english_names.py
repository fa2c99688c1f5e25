"""One language at a time: in English, stored names show their English form and amounts read in CNY/USD with k, m
and bn; in Chinese, nothing changes."""

from decimal import Decimal
from html import unescape

import pytest
from django.utils import translation

from parkadmin import formatting
from parkadmin.names import zone_name
from tests.factories import IndicatorFactory, IndustryClusterFactory, ParkFactory

D = Decimal


@pytest.mark.parametrize(
    ("value", "unit", "decimals", "chinese", "english"),
    [
        (D("7.26"), "亿元", 2, "7.26亿元", "CNY 726m"),
        (D("358.7"), "亿元", 2, "358.7亿元", "CNY 35.87bn"),
        (D("8600"), "万元", 0, "8600万元", "CNY 86m"),
        (D("1845"), "万美元", 0, "1845万美元", "USD 18.45m"),
        (D("33"), "家", 0, "33家", "33"),
        (D("8"), "位", 0, "第8位", "No. 8"),
        (D("23.624"), "%", 2, "23.62%", "23.62%"),
        (D("12"), "亩", 0, "12亩", "12 亩"),
    ],
)
def test_a_value_reads_in_the_interfaces_units(value, unit, decimals, chinese, english):
    with translation.override("zh-hans"):
        assert formatting.value_in_unit(value, unit, decimals) == chinese
    with translation.override("en"):
        assert formatting.value_in_unit(value, unit, decimals) == english


def test_money_kept_in_wan_reads_in_millions_in_english():
    with translation.override("en"):
        assert formatting.format_money(D("3587000")) == "CNY 35.87bn"
        assert formatting.format_money(D("2000")) == "CNY 20m"
        assert formatting.format_money(None) == "—"
    with translation.override("zh-hans"):
        assert formatting.format_money(D("3587000")) == "358.7亿元"


def test_a_title_names_its_unit_in_the_interfaces_language():
    with translation.override("zh-hans"):
        assert formatting.name_with_unit("公共财政收入", "亿元") == "公共财政收入（亿元）"
    with translation.override("en"):
        assert formatting.name_with_unit("Fiscal revenue", "亿元") == "Fiscal revenue (CNY 100m)"
        assert formatting.name_with_unit("High-tech enterprises", "家") == "High-tech enterprises"


@pytest.mark.django_db
def test_stored_names_show_in_english_where_someone_gave_one(settings):
    park = ParkFactory(name="农业科技园", name_en="Agricultural park")
    untranslated = ParkFactory(name="五夷芯视界", name_en="")
    cluster = IndustryClusterFactory(name="电子信息", name_en="Electronic information")
    indicator = IndicatorFactory(name="公共财政收入", name_en="Public fiscal revenue", unit="亿元")
    settings.ZONE_NAME, settings.ZONE_NAME_EN = "怀化高新区", "Huaihua High-Tech Zone"
    with translation.override("zh-hans"):
        assert [str(park), str(cluster), str(indicator), zone_name()] == [
            "农业科技园",
            "电子信息",
            "公共财政收入（亿元）",
            "怀化高新区",
        ]
    with translation.override("en"):
        assert [str(park), str(untranslated), str(cluster), str(indicator), zone_name()] == [
            "Agricultural park",
            "五夷芯视界",  # a name nobody translated stays as written
            "Electronic information",
            "Public fiscal revenue (CNY 100m)",
            "Huaihua High-Tech Zone",
        ]


@pytest.mark.django_db
def test_the_english_dashboard_names_clusters_and_indicators_in_english(official_client):
    import demo

    demo.load(with_accounts=False)
    official_client.cookies["django_language"] = "en"
    html = unescape(official_client.get("/", {"year": 2019}).content.decode())
    assert "Huaihua High-Tech Zone" in html
    assert "Public fiscal revenue" in html and "CNY 726m" in html
    assert "Electronic information" in html
    assert "CNY 35.87bn" in html  # contract investment's card
    assert "公共财政收入（亿元）" not in html and "358.7亿元" not in html
    # The summary in English, the same figures as the Chinese one.
    assert "In 2017–2019, the zone's public fiscal revenue was CNY 701m, CNY 655m and CNY 726m" in html
    assert "the zone's rank among the province's high-tech zones rose from No. 16 in 2018 to No. 8 in 2019" in html
    # The reconciliation table's amounts in English units too, and the demo's own sample markers in English.
    html = unescape(official_client.get("/").content.decode())
    assert "Sample data (load_demo, made to match the reference article&#x27;s figures)" in html or (
        "Sample data (load_demo, made to match the reference article's figures)" in html
    )
    assert "示例数据" not in html
    assert "CNY 4.98bn" in html and "49.8亿元" not in html and "38家" not in html


@pytest.mark.django_db
def test_the_values_list_names_units_and_sample_markers_in_english(official_client):
    from indicators.choices import ValueStatus
    from parkadmin.sample import DEMO_SOURCE
    from tests.factories import IndicatorValueFactory

    indicator = IndicatorFactory(name="公共财政收入", name_en="Public fiscal revenue", unit="亿元")
    IndicatorValueFactory(indicator=indicator, value=D("7.26"), status=ValueStatus.APPROVED, source=DEMO_SOURCE)
    official_client.cookies["django_language"] = "en"
    html = unescape(official_client.get("/indicators/values/").content.decode())
    assert "CNY 100m" in html and "亿元" not in html
    assert "Sample data (load_demo" in html and "示例数据" not in html
    official_client.cookies["django_language"] = "zh-hans"
    html = unescape(official_client.get("/indicators/values/").content.decode())
    assert "亿元" in html and DEMO_SOURCE in html


def test_the_funnels_note_of_missing_amounts_uses_the_languages_brackets():
    from dashboard.charts import _stage_amount

    row = {"amount": D("243000"), "amount_missing": 1}  # 万元
    with translation.override("en"):
        assert _stage_amount(row) == "CNY 2.43bn (1 not reported)"
    with translation.override("zh-hans"):
        assert _stage_amount(row) == "24.30亿元（1 项未填报）"
