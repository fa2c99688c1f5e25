"""The annual report on periods and unknowns: values over several years in a table of their own and in the summary
with their span, never as the year's; unknown amounts left out of sums with a count; the reconciliation's verdicts,
and the headline never contradicted by a table counted from incomplete records."""

from decimal import Decimal

import pytest

from projects.choices import Stage
from reports.content import Amount, report_cell_text
from reports.data import annual_report_data
from tests.factories import ProjectFactory

pytestmark = pytest.mark.django_db


def texts(row) -> list[str]:
    return [report_cell_text(cell) for cell in row]


def test_the_2019_report_tells_the_three_year_figures_as_spans(demo):
    report = annual_report_data(2019)
    indicators = report.section("indicators")
    spans = {row[0]: texts(row) for row in indicators.table("spans").rows}
    assert spans["知识产权授权"][1:3] == ["2017—2019年累计", "365项"]
    assert spans["到位科技口资金"][1] == "2017—2019年累计"
    assert spans["技工贸收入年均增长率"][1] == "2017—2019年年均"
    yearly = {row[0] for row in indicators.table("indicators").rows}
    assert not yearly & set(spans)  # never a row of the year's values
    history = {row[0] for row in indicators.table("history").rows}
    assert not history & set(spans)
    [summary] = report.section("overview").paragraphs
    assert "2017—2019年，怀化高新区技工贸收入年均增长率23.62%" in summary
    assert "知识产权授权累计365项" in summary
    assert "2019年，怀化高新区知识产权授权" not in summary and "，知识产权授权365项" not in summary


@pytest.fixture
def without_incubations(demo):
    """The demo as a zone that has not yet entered its incubator's occupants: the reported 69 stand alone."""
    from enterprises.models import Incubation

    Incubation.objects.all().delete()


def test_the_reconciliation_table_says_records_incomplete_with_the_numbers(without_incubations):
    table = annual_report_data(2020).section("indicators").table("reconciliation")
    verdicts = {row[0]: row[-1] for row in table.rows}
    assert verdicts["在孵企业"] == "台账不全：已录入0家，统计上报69家"
    assert all("不一致" not in verdict for verdict in verdicts.values())


def test_the_headline_is_not_contradicted_by_a_table_of_incomplete_records(without_incubations):
    report = annual_report_data(2020)
    [summary] = report.section("overview").paragraphs
    assert "在孵企业69家" in summary
    key = {row[0]: texts(row) for row in report.section("overview").table("key_figures").rows}
    incubating = key["年末在孵企业"]
    assert incubating[1] == "0家" and "台账不全：已录入0家，统计上报69家" in incubating[-1]
    figures = report.section("incubation").table("figures")
    assert "台账不全：已录入0家，统计上报69家" in figures.note


def test_unknown_amounts_are_left_out_of_the_stage_sums_and_counted(db):
    ProjectFactory(stage=Stage.PRODUCTION, contract_investment=Decimal(12000))
    ProjectFactory(stage=Stage.PRODUCTION, contract_investment=None)
    ProjectFactory(stage=Stage.CONSTRUCTION, contract_investment=None)
    table = annual_report_data(2019).section("projects").table("by_stage")
    rows = {row[0]: row for row in table.rows}
    production, construction = rows[str(Stage.PRODUCTION.label)], rows[str(Stage.CONSTRUCTION.label)]
    assert production[2] == Amount(Decimal(12000), "万元", 2) and texts(production)[3] == "1个"
    assert texts(construction)[2] == "—" and texts(construction)[3] == "1个"
    assert texts(rows[str(Stage.SIGNED.label)])[3] == "—"
