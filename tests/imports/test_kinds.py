"""Every kind of import, each with the same checks: a good file imports (XLSX and CSV, Chinese and English headers),
a file with bad rows is refused whole with every bad row listed, re-importing changes nothing, and a changed row
updates the stored record found by its natural key."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from enterprises.choices import EnterpriseStatus
from enterprises.models import Enterprise, EnterpriseYear, Incubation, ServiceRequest
from indicators.choices import Kind, ValueStatus
from indicators.models import IndicatorValue, Target
from parkadmin.imports.kinds import registry
from projects.models import FundArrival, Project, StageChange
from tests.factories import (
    EnterpriseFactory,
    IncubatorFactory,
    IndicatorFactory,
    IndustryClusterFactory,
    ParkFactory,
    ProjectFactory,
    UserFactory,
)
from tests.imports.files import csv_bytes, named, xlsx_bytes

pytestmark = pytest.mark.django_db

STORED_CODE = "91431200MA0000002T"
NEW_CODE = "91431200MA0000003X"
BAD_CHECK_CODE = "91431200MA00000040"  # the check character should be 1


@pytest.fixture
def world(db):
    core = ParkFactory(code="core", name="核心区")
    ParkFactory(code="wuyi", name="五一工业园")
    cluster = IndustryClusterFactory(code="EIT", name="电子信息")
    enterprise = EnterpriseFactory(name="已有科技有限公司", credit_code=STORED_CODE, cluster=cluster, park=core)
    IncubatorFactory(name="科技企业孵化器", park=core)
    IndicatorFactory(code="fiscal_revenue", name="公共财政收入", unit="亿元", decimals=2, min_value=Decimal(0))
    IndicatorFactory(code="contracts_signed", name="签约项目", unit="个", decimals=0, kind=Kind.COMPUTED)
    project = ProjectFactory(name="已有项目", cluster=cluster, park=core)
    staff = UserFactory(username="zhang")
    return SimpleNamespace(core=core, cluster=cluster, enterprise=enterprise, project=project, staff=staff)


@dataclass
class Case:
    """One kind: rows of a good file, bad rows each with the column its reason names ("" for the whole row), and
    one change to the first good row."""

    kind: str
    model: type
    good: list[dict]
    bad: list[tuple[dict, str]]
    change: dict
    extra_models: list[type] = field(default_factory=list)

    def __str__(self) -> str:
        return self.kind

    def count(self) -> int:
        return self.model.objects.count()

    def history_count(self) -> int:
        return self.model.history.count()


CASES = [
    Case(
        "enterprises",
        Enterprise,
        good=[
            {
                "name": "新材料科技有限公司",
                "credit_code": NEW_CODE,
                "cluster": "EIT",
                "park": "core",
                "status": "operating",
                "founded_on": "2018-05-20",
                "registered_capital": Decimal("1000.50"),
                "has_own_plant": "是",
            },
            {"name": "无代码商贸有限公司", "cluster": "电子信息", "park": "五一工业园", "status": "在营"},
        ],
        bad=[
            ({"name": "坏代码有限公司", "credit_code": BAD_CHECK_CODE}, "credit_code"),
            ({"name": "坏状态有限公司", "status": "营业中"}, "status"),
            ({"name": "坏集群有限公司", "cluster": "NOPE"}, "cluster"),
            ({"name": "坏日期有限公司", "founded_on": "去年"}, "founded_on"),
        ],
        change={"registered_capital": 2000},
    ),
    Case(
        "enterprise-years",
        EnterpriseYear,
        good=[
            {"enterprise": STORED_CODE, "year": 2019, "revenue": Decimal("1200.5"), "tax": 80, "employees": 120},
            {"enterprise": "已有科技有限公司", "year": 2020, "revenue": 1500, "tax": 90, "employees": 130},
        ],
        bad=[
            ({"enterprise": STORED_CODE, "year": "二〇一九"}, "year"),
            ({"enterprise": STORED_CODE, "year": 2018, "revenue": -5}, "revenue"),
            ({"enterprise": "不存在的企业", "year": 2019}, "enterprise"),
        ],
        change={"revenue": 1300},
    ),
    Case(
        "incubations",
        Incubation,
        good=[
            {
                "enterprise": STORED_CODE,
                "incubator": "科技企业孵化器",
                "entered_on": "2019-03-01",
                "status": "graduated",
                "left_on": "2020-06-30",
                "area_m2": 200,
            },
            {
                "enterprise": STORED_CODE,
                "incubator": "科技企业孵化器",
                "entered_on": "2020-07-01",
                "status": "incubating",
            },
        ],
        bad=[
            (
                {
                    "enterprise": STORED_CODE,
                    "incubator": "科技企业孵化器",
                    "entered_on": "2018-01-01",
                    "status": "graduated",
                    "left_on": "2017-01-01",
                },
                "left_on",
            ),
            ({"enterprise": STORED_CODE, "incubator": "没有的孵化器", "entered_on": "2018-01-01"}, "incubator"),
            ({"enterprise": STORED_CODE, "incubator": "科技企业孵化器", "entered_on": "2018-13-45"}, "entered_on"),
        ],
        change={"area_m2": 250},
    ),
    Case(
        "service-requests",
        ServiceRequest,
        good=[
            {
                "enterprise": STORED_CODE,
                "title": "用电增容",
                "category": "utilities",
                "raised_on": "2020-03-02",
                "assignee": "zhang",
            },
            {
                "enterprise": "已有科技有限公司",
                "title": "融资对接",
                "category": "financing",
                "raised_on": "2020-04-01",
                "due_on": "2020-05-01",
                "status": "resolved",
                "resolution": "已对接银行",
                "resolved_on": "2020-04-20",
            },
        ],
        bad=[
            ({"enterprise": STORED_CODE, "title": "天气", "category": "天气", "raised_on": "2020-01-01"}, "category"),
            (
                {
                    "enterprise": STORED_CODE,
                    "title": "倒序",
                    "category": "land",
                    "raised_on": "2020-05-01",
                    "due_on": "2020-04-01",
                },
                "due_on",
            ),
            (
                {
                    "enterprise": STORED_CODE,
                    "title": "无人",
                    "category": "land",
                    "raised_on": "2020-05-01",
                    "assignee": "nobody",
                },
                "assignee",
            ),
            (
                {
                    "enterprise": STORED_CODE,
                    "title": "未写解决情况",
                    "category": "land",
                    "raised_on": "2020-05-01",
                    "status": "resolved",
                    "resolved_on": "2020-05-02",
                },
                "resolution",
            ),
        ],
        change={"description": "新生产线需增容"},
    ),
    Case(
        "projects",
        Project,
        good=[
            {
                "name": "新材料项目",
                "investor": "湖南新材料有限公司",
                "cluster": "EIT",
                "park": "core",
                "stage": "signed",
                "stage_on": "2020-01-15",
                "contract_investment": 50000,
                "key_city": "是",
            },
            {"name": "冷链物流项目", "investor": "怀化物流有限公司", "contract_investment": Decimal("12000.5")},
        ],
        bad=[
            ({"name": "坏金额项目", "investor": "某公司", "contract_investment": "五万"}, "contract_investment"),
            ({"name": "坏阶段项目", "investor": "某公司", "stage": "开会"}, "stage"),
            ({"name": "未来项目", "investor": "某公司", "stage": "signed", "stage_on": "2999-01-01"}, "stage_on"),
            ({"name": "缺投资方项目", "investor": ""}, "investor"),
        ],
        change={"contract_investment": 60000},
    ),
    Case(
        "fund-arrivals",
        FundArrival,
        good=[
            {"project": "已有项目", "arrived_on": "2020-03-31", "amount": 5000, "source": "企业自筹"},
            {"project": "已有项目", "arrived_on": "2020-06-30", "amount": Decimal("2500.5")},
        ],
        bad=[
            ({"project": "已有项目", "arrived_on": "2020-03-31", "amount": 0}, "amount"),
            ({"project": "已有项目", "arrived_on": "2999-01-01", "amount": 10}, "arrived_on"),
            ({"project": "没有的项目", "arrived_on": "2020-01-01", "amount": 10}, "project"),
        ],
        change={"source": "银行贷款"},
    ),
    Case(
        "indicator-values",
        IndicatorValue,
        good=[
            {"indicator": "fiscal_revenue", "year": 2018, "value": Decimal("6.55"), "source": "统计年报"},
            {"indicator": "公共财政收入", "year": 2019, "value": Decimal("7.26"), "park": "core"},
        ],
        bad=[
            ({"indicator": "fiscal_revenue", "year": 2017, "value": -1}, "value"),
            ({"indicator": "contracts_signed", "year": 2019, "value": 3}, "indicator"),
            ({"indicator": "fiscal_revenue", "year": 1800, "value": 1}, "year"),
        ],
        change={"value": Decimal("6.60")},
    ),
    Case(
        "targets",
        Target,
        good=[
            {"indicator": "fiscal_revenue", "year": 2020, "value": 8},
            {"indicator": "fiscal_revenue", "year": 2020, "value": 3, "park": "core"},
        ],
        bad=[
            ({"indicator": "nope", "year": 2020, "value": 1}, "indicator"),
            ({"indicator": "fiscal_revenue", "year": 2500, "value": 1}, "year"),
            ({"indicator": "fiscal_revenue", "year": 2021, "value": "abc"}, "value"),
        ],
        change={"value": 9},
    ),
]


def test_every_kind_of_the_contract_is_covered():
    assert [case.kind for case in CASES] == list(registry())
    assert set(registry()) == {
        "enterprises",
        "enterprise-years",
        "projects",
        "fund-arrivals",
        "incubations",
        "service-requests",
        "indicator-values",
        "targets",
    }


def build(kind: str, rows: list[dict], fmt: str = "csv", language: str = "zh") -> tuple[bytes, list[str]]:
    """A file of `rows` with the columns the rows use, headed in Chinese (the template's) or English."""
    importer = registry()[kind]
    names = [column.name for column in importer.columns if any(column.name in row for row in rows)]
    headers = [importer.column(name).header if language == "zh" else name for name in names]
    cells = [[row.get(name) for name in names] for row in rows]
    data = xlsx_bytes(headers, cells) if fmt == "xlsx" else csv_bytes(headers, cells)
    return data, headers


def run(kind: str, data: bytes, *, fmt: str = "csv", user=None, dry_run: bool = False, approve: bool = False):
    importer = registry()[kind](user=user, approve=approve)
    return importer.run(named(data, f"import.{fmt}"), name=f"import.{fmt}", dry_run=dry_run)


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_good_file_is_imported(world, case, fmt, language):
    before = case.count()
    data, _headers = build(case.kind, case.good, fmt, language)
    result = run(case.kind, data, fmt=fmt, user=world.staff)
    assert result.ok, [str(error) for error in result.errors] or result.file_error
    assert (result.created, result.updated, result.rejected) == (len(case.good), 0, 0)
    assert case.count() == before + len(case.good)


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_file_with_bad_rows_is_refused_whole_listing_every_bad_row(world, case, fmt):
    before, history_before = case.count(), case.history_count()
    rows = case.good + [row for row, _column in case.bad]
    data, headers = build(case.kind, rows, fmt)
    names = [column.name for column in registry()[case.kind].columns if any(column.name in row for row in rows)]
    header_of = dict(zip(names, headers, strict=True))
    result = run(case.kind, data, fmt=fmt, user=world.staff)
    assert not result.ok and not result.file_error
    first_bad = 2 + len(case.good)
    expected = {first_bad + index: header_of.get(column, "") for index, (_row, column) in enumerate(case.bad)}
    assert {error.row for error in result.errors} == set(expected), [str(error) for error in result.errors]
    for row, column in expected.items():
        reasons = [error for error in result.errors if error.row == row]
        assert any(error.column == column for error in reasons), (row, column, [str(e) for e in reasons])
        assert all(error.message.strip() for error in reasons)
    assert result.rejected == len(case.bad)
    assert case.count() == before
    assert case.history_count() == history_before


@pytest.mark.parametrize("case", CASES, ids=str)
def test_importing_the_same_file_again_changes_nothing(world, case):
    data, _headers = build(case.kind, case.good, "xlsx")
    assert run(case.kind, data, fmt="xlsx", user=world.staff).ok
    count, history = case.count(), case.history_count()
    again = run(case.kind, data, fmt="xlsx", user=world.staff)
    assert again.ok, [str(error) for error in again.errors]
    assert (again.created, again.updated, again.unchanged) == (0, 0, len(case.good))
    assert case.count() == count
    assert case.history_count() == history


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_changed_row_updates_the_record_its_key_finds(world, case):
    data, _headers = build(case.kind, case.good)
    assert run(case.kind, data, user=world.staff).ok
    count = case.count()
    changed = [{**case.good[0], **case.change}, *case.good[1:]]
    data, _headers = build(case.kind, changed)
    result = run(case.kind, data, user=world.staff)
    assert result.ok, [str(error) for error in result.errors]
    assert (result.created, result.updated, result.unchanged) == (0, 1, len(case.good) - 1)
    assert case.count() == count


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_dry_run_previews_and_writes_nothing(world, case):
    before, history_before = case.count(), case.history_count()
    data, _headers = build(case.kind, case.good)
    result = run(case.kind, data, user=world.staff, dry_run=True)
    assert result.ok and result.created == len(case.good)
    assert [outcome.row for outcome in result.outcomes] == list(range(2, 2 + len(case.good)))
    assert all(outcome.label for outcome in result.outcomes)
    assert (case.count(), case.history_count()) == (before, history_before)


def test_a_row_twice_in_one_file_is_refused(world):
    row = {"enterprise": STORED_CODE, "year": 2019, "revenue": 1}
    data, _headers = build("enterprise-years", [row, {**row, "revenue": 2}])
    result = run("enterprise-years", data)
    assert [error.row for error in result.errors] == [3]
    assert "2" in result.errors[0].message
    assert not EnterpriseYear.objects.exists()


def test_an_enterprise_is_found_by_credit_code_before_its_name(world):
    data, _headers = build("enterprises", [{"name": "已有科技有限公司（更名）", "credit_code": STORED_CODE.lower()}])
    result = run("enterprises", data)
    assert result.ok and result.updated == 1
    world.enterprise.refresh_from_db()
    assert world.enterprise.name == "已有科技有限公司（更名）"


def test_an_enterprise_known_by_name_gets_its_credit_code(world):
    nameless = EnterpriseFactory(name="只有名字有限公司", credit_code=None)
    data, _headers = build("enterprises", [{"name": "只有名字有限公司", "credit_code": NEW_CODE}])
    result = run("enterprises", data)
    assert result.ok and result.updated == 1
    nameless.refresh_from_db()
    assert nameless.credit_code == NEW_CODE


def test_a_credit_code_with_a_wrong_check_character_is_refused_in_chinese(world):
    data, _headers = build("enterprises", [{"name": "坏代码有限公司", "credit_code": BAD_CHECK_CODE}])
    with translation.override("zh-hans"):
        result = run("enterprises", data)
    (error,) = result.errors
    assert (error.row, error.column) == (2, "统一社会信用代码")
    with translation.override("zh-hans"):
        expected = translation.gettext(
            "The check character (the last one) should be %(expected)s: please check the code for a typing error."
        ) % {"expected": "1"}
    assert error.message == expected


def test_a_column_left_out_keeps_the_stored_value(world):
    world.enterprise.address = "怀化高新区一号路"
    world.enterprise.save()
    data, _headers = build("enterprises", [{"name": "已有科技有限公司", "credit_code": STORED_CODE, "park": "wuyi"}])
    assert run("enterprises", data).updated == 1
    world.enterprise.refresh_from_db()
    assert (world.enterprise.address, world.enterprise.park.code) == ("怀化高新区一号路", "wuyi")
    assert world.enterprise.status == EnterpriseStatus.OPERATING


def test_imported_indicator_values_are_submitted_and_entered_by_the_importer(world):
    data, _headers = build("indicator-values", CASES[6].good)
    assert run("indicator-values", data, user=world.staff).ok
    assert set(IndicatorValue.objects.values_list("status", "entered_by")) == {(ValueStatus.SUBMITTED, world.staff.pk)}


def test_approve_marks_imported_indicator_values_approved(world):
    data, _headers = build("indicator-values", CASES[6].good)
    assert run("indicator-values", data, approve=True).ok
    assert set(IndicatorValue.objects.values_list("status", flat=True)) == {ValueStatus.APPROVED}
    again = run("indicator-values", data, approve=True)
    assert again.unchanged == 2


def test_a_suspicious_indicator_value_needs_an_explanation(world):
    rows = [
        {"indicator": "fiscal_revenue", "year": 2018, "value": 6},
        {"indicator": "fiscal_revenue", "year": 2019, "value": 60},
    ]
    data, _headers = build("indicator-values", rows)
    result = run("indicator-values", data)
    assert {(error.row, error.column) for error in result.errors} == {(3, "情况说明")}
    rows[1]["explanation"] = "新口径，含基金收入"
    data, _headers = build("indicator-values", rows)
    assert run("indicator-values", data).ok


def test_a_new_project_opens_its_stage_log_and_a_stage_column_moves_a_stored_one(world):
    row = {"name": "新材料项目", "investor": "湖南新材料有限公司", "stage": "signed", "stage_on": "2020-01-15"}
    data, _headers = build("projects", [row])
    assert run("projects", data, user=world.staff).ok
    project = Project.objects.get(name="新材料项目")
    assert list(project.stage_changes.values_list("stage", "on")) == [("signed", datetime.date(2020, 1, 15))]
    data, _headers = build("projects", [{**row, "stage": "construction", "stage_on": "2020-05-01"}])
    assert run("projects", data, user=world.staff).updated == 1
    project.refresh_from_db()
    assert project.stage == "construction"
    # A move back is refused by the pipeline's rules, at the stage column.
    data, _headers = build("projects", [{**row, "stage": "negotiating", "stage_on": "2020-06-01"}])
    result = run("projects", data, user=world.staff)
    assert [(error.row, error.column) for error in result.errors] == [(2, "项目阶段")]
    assert StageChange.objects.filter(project=project).count() == 2
