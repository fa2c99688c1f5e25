"""`manage.py generate_sample_data --scale S --seed N`: a large synthetic zone for the benchmark.

Seeded and reproducible (the same scale and seed give the same names, credit codes and figures), written with
bulk inserts, and marked as sample data throughout: names start with 示例, `is_sample` is set wherever a model has
it, and every `source` reads 示例数据（generate_sample_data）. Bulk inserts write no history rows.

Scale 1 is a realistic zone: 5,000 enterprises × 10 years of figures, 2,000 projects with their stage logs and
10,000 fund arrivals, 20,000 problems, 300 incubations, and 100 indicators × 20 years × 10 places (the whole zone
and nine parks) of approved values. Scale S multiplies every count; indicator values grow through the number of
parks (10·S places from scale 1 up), while the 100 indicators stay: a larger zone has more parks, not another
statistical system.

The command refuses a database that already holds records that are not sample data unless `--force`; with
`--database-url` it creates that database (PostgreSQL: CREATE DATABASE; SQLite: the file), migrates it and fills
it in a child process, leaving the configured database alone.
"""

from __future__ import annotations

import datetime
import os
import random
import re
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from enterprises.choices import (
    PROBLEM_TIME_LIMIT_DAYS,
    EnterpriseStatus,
    IncubationStatus,
    Level,
    ListingStage,
    ProblemCategory,
    ProblemStatus,
    QualificationKind,
    SizeClass,
)
from enterprises.models import (
    Enterprise,
    EnterpriseYear,
    Incubation,
    Incubator,
    Qualification,
    ResearchPlatform,
    ServiceRequest,
)
from enterprises.validators import CREDIT_CODE_ALPHABET, credit_code_check_character
from indicators.choices import Category, Kind, ValueStatus
from indicators.models import Indicator, IndicatorValue, Target
from parks.choices import ParkKind
from parks.models import IndustryCluster, Park
from projects.choices import STAGE_ORDER, InvestorOrigin, Stage
from projects.models import FundArrival, Project, ProjectUpdate, StageChange

SOURCE = "示例数据（generate_sample_data）"
PREFIX = "示例"
INDICATOR_PREFIX = "sample_ind_"
USER_PREFIX = "sample-staff-"
MARKER = "generate_sample_data"
DATA_VERSION = 1  # raised whenever the generator makes different data from the same scale and seed
END_YEAR = 2024  # fixed, so that a seed always gives the same data whatever the day it runs
FIRST_DAY = datetime.date(2015, 1, 1)
LAST_DAY = datetime.date(END_YEAR, 12, 31)
BATCH = 2000

# Counts at scale 1 (the contract's "realistic zone").
BASE = {
    "enterprises": 5000,
    "projects": 2000,
    "fund_arrivals": 10000,
    "service_requests": 20000,
    "incubations": 300,
    "indicators": 100,
}
YEARS_OF_FIGURES = 10
YEARS_OF_INDICATORS = 20
PLACES = 10  # the whole zone and nine parks carry indicator values at scale 1
STAFF = 10


def demo_parks(facts: dict) -> dict[str, tuple[str, str, str | None]]:
    """The demo's parks as load_demo names them (code → name, kind, parent), parents first."""
    from parks.demo import PARK_CODES

    zone = {"huaihua": (facts["zone"]["short_zh"], ParkKind.ZONE, None)}
    return zone | {code: (name, kind, parent) for name, (code, kind, parent) in PARK_CODES.items()}


def demo_clusters(facts: dict) -> dict[str, tuple[str, str, str]]:
    """The demo's industry clusters as load_demo names them (code → name, role, colour)."""
    from parks.demo import CLUSTER_COLORS

    items = facts["industry_clusters"]["items"]
    return {item["code"]: (item["name_zh"], item["role"], CLUSTER_COLORS[item["code"]]) for item in items}


REGIONS = "怀化 鹤城 中方 洪江 沅陵 辰溪 溆浦 会同 麻阳 新晃 芷江 靖州 通道 五溪 武陵 雪峰 舞水 沅水 潕阳 黔阳".split()
BRAND_CHARS = "华兴盛达鑫源瑞丰恒通宏图金泰博远卓越创立隆昌嘉禾正阳天成永康佳和祥宇润泽海川明德致信安云帆星辰凯旋汇聚"
INDUSTRIES = {
    "NEM": ["新材料", "新能源", "锂电", "光伏", "储能", "复合材料", "碳材料", "新型建材"],
    "EIT": ["电子", "信息技术", "智能科技", "软件", "半导体", "光电", "通信", "数码"],
    "AGR": ["农业", "食品", "茶业", "生态农业", "粮油", "果业", "油茶", "米业"],
    "BIO": ["生物医药", "制药", "医疗器械", "健康产业", "中药材", "生物科技", "药业", "康养"],
}
ALL_INDUSTRIES = [name for names in INDUSTRIES.values() for name in names]
COMPANY_SUFFIXES = ["有限公司", "有限公司", "有限责任公司", "股份有限公司"]
PROJECT_KINDS = ["生产基地", "产业园", "研发中心", "扩建工程", "智能制造项目", "生产线", "总部基地"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌辉鹏宇"
DIVISIONS = ["431200", "431202", "431221", "431222", "431223", "431224", "431225", "431226", "431227", "431271"]
PROBLEM_TITLES = {
    ProblemCategory.FINANCING: ["流动资金贷款", "设备融资租赁", "应收账款融资"],
    ProblemCategory.LAND: ["新增用地指标", "土地证办理", "厂房扩建用地"],
    ProblemCategory.LABOUR: ["技术工人招聘", "人才公寓申请", "员工子女入学"],
    ProblemCategory.APPROVAL: ["环评审批", "消防验收", "施工许可"],
    ProblemCategory.UTILITIES: ["厂房用电增容", "供水管网接入", "天然气接入"],
    ProblemCategory.LOGISTICS: ["货运通道", "冷链仓储", "铁路专用线"],
    ProblemCategory.POLICY: ["高企认定奖励", "研发费用补贴", "技改资金申报"],
    ProblemCategory.OTHER: ["周边道路照明", "企业宣传对接", "园区公交线路"],
}
INDICATOR_THEMES = [
    ("营业收入", "亿元", Category.ECONOMY),
    ("工业产值", "亿元", Category.ECONOMY),
    ("税收收入", "万元", Category.FISCAL),
    ("研发投入", "万元", Category.INNOVATION),
    ("新增企业", "家", Category.ECONOMY),
    ("专利授权", "件", Category.INNOVATION),
    ("到位资金", "亿元", Category.INVESTMENT),
    ("在孵企业", "家", Category.INCUBATION),
    ("从业人员", "人", Category.OTHER),
    ("出口额", "万美元", Category.ECONOMY),
]
FUND_SOURCES = ["自有资金", "银行贷款", "股权融资", "政府专项资金", "产业基金"]


def counts(scale: float) -> dict[str, int]:
    """How many of each record a scale makes."""
    result = {name: max(1, round(base * scale)) for name, base in BASE.items()}
    result["indicators"] = min(BASE["indicators"], result["indicators"])
    result["incubations"] = min(result["incubations"], result["enterprises"])
    result["parks"] = max(PLACES, round(PLACES * scale))
    result["incubators"] = max(1, round(5 * scale))
    return result


def marker(scale: float, seed: int) -> str:
    return f"{MARKER} --scale {scale:g} --seed {seed} v{DATA_VERSION}"


def money(value: float) -> Decimal:
    return Decimal(f"{max(value, 0.01):.2f}")


def day_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def credit_code(rng: random.Random) -> str:
    """A unified social credit code with a correct check character (GB 32100-2015): 91 = enterprise, then a
    Huaihua division code, a random organisation code and the check character."""
    first = "91" + rng.choice(DIVISIONS) + "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(9))
    return first + credit_code_check_character(first)


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


# --- the database's state ---------------------------------------------------------------------------------------

SAMPLE_FLAGGED = (Enterprise, EnterpriseYear, Project, FundArrival, ServiceRequest, Incubation)


def foreign_records() -> list[str]:
    """What the database holds that is not sample data (empty list: nothing)."""
    found = []
    for model in SAMPLE_FLAGGED:
        if model._default_manager.filter(is_sample=False).exists():
            found.append(str(model._meta.verbose_name_plural))
    for model in (Park, IndustryCluster, Qualification, Incubator, ResearchPlatform):
        if model._default_manager.exclude(source=SOURCE).exists():
            found.append(str(model._meta.verbose_name_plural))
    if ProjectUpdate.objects.exclude(text__startswith=PREFIX).exists():
        found.append(str(ProjectUpdate._meta.verbose_name_plural))
    if sample_indicators(Indicator.objects.filter(kind=Kind.REPORTED), exclude=True).exists():
        found.append(str(Indicator._meta.verbose_name_plural))
    for model in (IndicatorValue, Target):
        if model._default_manager.exclude(source=SOURCE).exists():
            found.append(str(model._meta.verbose_name_plural))
    return found


def sample_indicators(queryset, exclude: bool = False):
    """The indicators this command made (or, with `exclude`, every other one of `queryset`)."""
    made = Q(code__startswith=INDICATOR_PREFIX) | Q(definition__startswith=PREFIX)
    return queryset.exclude(made) if exclude else queryset.filter(made)


def existing_marker() -> str | None:
    """The marker of the sample data already there (None: none)."""
    first = Indicator.objects.filter(code=f"{INDICATOR_PREFIX}001").values_list("definition", flat=True).first()
    if first is None:
        return None
    found = re.search(rf"{MARKER} --scale \S+ --seed \d+ v\d+", first)
    return found.group(0) if found else "?"


def has_sample_data() -> bool:
    return (
        Indicator.objects.filter(code__startswith=INDICATOR_PREFIX).exists()
        or Enterprise.objects.filter(is_sample=True).exists()
        or Project.objects.filter(is_sample=True).exists()
    )


def wipe_sample_data() -> None:
    """Delete every record of a database that holds sample data only (raw deletes: no signals, no history)."""
    models = [
        StageChange,
        FundArrival,
        ProjectUpdate,
        Project,
        Incubation,
        Incubator,
        ServiceRequest,
        Qualification,
        EnterpriseYear,
        Enterprise,
        IndicatorValue,
        Target,
    ]
    with connection.cursor() as cursor:
        for model in models:
            for table in (model._meta.db_table, getattr(model, "history", None) and model.history.model._meta.db_table):
                if table:
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
    sample_indicators(Indicator.objects.filter(kind=Kind.REPORTED)).delete()
    with connection.cursor() as cursor:
        for model in (Park, IndustryCluster):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model.history.model._meta.db_table)}")
    # Parks point at their parents: children first.
    while Park.objects.exists():
        Park.objects.filter(children__isnull=True)._raw_delete(connection.alias)
    IndustryCluster.objects.all()._raw_delete(connection.alias)


def refresh_statistics() -> None:
    """Let the planner know the new tables (as autovacuum soon would): statistics, and on PostgreSQL the
    visibility map that index-only scans need."""
    with connection.cursor() as cursor:
        vacuum = connection.vendor == "postgresql" and not connection.in_atomic_block
        cursor.execute("VACUUM ANALYZE" if vacuum else "ANALYZE")


# --- the generator ----------------------------------------------------------------------------------------------


class Generator:
    def __init__(self, scale: float, seed: int, out=None):
        self.scale = scale
        self.seed = seed
        self.rng = random.Random(seed)
        self.n = counts(scale)
        self.out = out
        self.made: dict[str, int] = {}

    def say(self, text: str) -> None:
        if self.out is not None:
            self.out.write(text)

    def save(self, model, objects: list) -> list:
        started = time.perf_counter()
        saved = model._default_manager.bulk_create(objects, batch_size=BATCH)
        key = model._meta.model_name
        self.made[key] = self.made.get(key, 0) + len(saved)
        self.say(f"  {model._meta.label}: {len(saved):,} ({time.perf_counter() - started:.1f} s)")
        return saved

    def run(self) -> dict[str, int]:
        self.staff = self.users()
        self.parks = self.make_parks()
        self.clusters = self.make_clusters()
        self.enterprises = self.make_enterprises()
        self.make_years()
        self.make_qualifications()
        self.make_incubations()
        self.make_service_requests()
        self.make_projects()
        self.make_indicators()
        return self.made

    # People and places ------------------------------------------------------------------------------------------

    def users(self) -> list:
        user_model = get_user_model()
        staff = []
        for number in range(1, STAFF + 1):
            user, _created = user_model.objects.get_or_create(
                username=f"{USER_PREFIX}{number:02d}",
                defaults={"first_name": f"{PREFIX}工作人员{number:02d}", "password": UNUSABLE_PASSWORD_PREFIX},
            )
            staff.append(user.pk)
        return staff

    def make_parks(self) -> list[Park]:
        from parkadmin.demo import facts

        existing = {park.code: park for park in Park.objects.all()}
        parks = dict(existing)
        demo = demo_parks(facts())
        for code, (name, kind, parent) in demo.items():
            if code not in parks:
                parks[code] = Park.objects.create(
                    code=code, name=name, kind=kind, parent=parks.get(parent), source=SOURCE
                )
        extra = []
        for number in range(1, self.n["parks"] - len(demo) + 1):
            code = f"sample-park-{number:03d}"
            if code not in parks:
                region = REGIONS[(number - 1) % len(REGIONS)]
                extra.append(
                    Park(
                        code=code,
                        name=f"{PREFIX}{region}产业园{number:03d}",
                        kind=ParkKind.SUB_PARK,
                        parent=parks["huaihua"],
                        source=SOURCE,
                    )
                )
        if extra:
            self.save(Park, extra)
        # Records go into the zone's parks below the zone itself (a few stay at the zone's level).
        return list(Park.objects.filter(parent__isnull=False).order_by("code"))

    def make_clusters(self) -> list[IndustryCluster]:
        from parkadmin.demo import facts

        clusters = []
        for code, (name, role, color) in demo_clusters(facts()).items():
            cluster = IndustryCluster.objects.filter(code=code).first()
            if cluster is None:
                cluster = IndustryCluster.objects.create(code=code, name=name, role=role, color=color, source=SOURCE)
            clusters.append(cluster)
        return clusters

    # Enterprises and what they report ---------------------------------------------------------------------------

    def make_enterprises(self) -> list[Enterprise]:
        rng = self.rng
        names = set(Enterprise.objects.values_list("name", flat=True))
        codes = set(Enterprise.objects.exclude(credit_code=None).values_list("credit_code", flat=True))
        statuses = [
            (EnterpriseStatus.OPERATING, 80),
            (EnterpriseStatus.CONSTRUCTION, 6),
            (EnterpriseStatus.PLANNED, 4),
            (EnterpriseStatus.SUSPENDED, 4),
            (EnterpriseStatus.CLOSED, 3),
            (EnterpriseStatus.MOVED_OUT, 3),
        ]
        sizes = [(SizeClass.MICRO, 35), (SizeClass.SMALL, 40), (SizeClass.MEDIUM, 18), (SizeClass.LARGE, 7)]
        listings = [(ListingStage.NONE, 95), (ListingStage.NEEQ, 3), (ListingStage.CHINEXT, 1), (ListingStage.MAIN, 1)]
        objects = []
        for number in range(self.n["enterprises"]):
            cluster = self.clusters[number % len(self.clusters)] if rng.random() > 0.05 else None
            industries = INDUSTRIES[cluster.code] if cluster and cluster.code in INDUSTRIES else ALL_INDUSTRIES
            while True:
                brand = rng.choice(BRAND_CHARS) + rng.choice(BRAND_CHARS)
                industry = rng.choice(industries)
                name = f"{PREFIX}{rng.choice(REGIONS)}{brand}{industry}{rng.choice(COMPANY_SUFFIXES)}"
                if name not in names:
                    names.add(name)
                    break
            while True:
                code = credit_code(rng)
                if code not in codes:
                    codes.add(code)
                    break
            objects.append(
                Enterprise(
                    name=name,
                    short_name=f"{brand}{industry}"[:50],
                    credit_code=code if rng.random() > 0.02 else None,
                    legal_representative=person(rng),
                    founded_on=day_between(rng, datetime.date(1995, 1, 1), datetime.date(END_YEAR - 10, 12, 31)),
                    registered_capital=money(rng.lognormvariate(7, 1.3)),
                    cluster=cluster,
                    park=rng.choice(self.parks) if rng.random() > 0.03 else None,
                    status=weighted(rng, statuses),
                    size_class=weighted(rng, sizes),
                    address=f"怀化高新区{PREFIX}路{number + 1}号",
                    contact_person=person(rng),
                    contact_phone=f"0745-{rng.randrange(10**7):07d}",
                    liaison_id=rng.choice(self.staff) if rng.random() > 0.3 else None,
                    listing_stage=weighted(rng, listings),
                    land_area_mu=money(rng.uniform(5, 300)) if rng.random() > 0.5 else None,
                    has_own_plant=rng.random() > 0.6,
                    source=SOURCE,
                    is_sample=True,
                )
            )
        return self.save(Enterprise, objects)

    def make_years(self) -> None:
        rng = self.rng
        objects = []
        first_year = END_YEAR - YEARS_OF_FIGURES + 1
        for enterprise in self.enterprises:
            revenue = rng.lognormvariate(8, 1.2)
            exporter = rng.random() < 0.3
            for year in range(first_year, END_YEAR + 1):
                revenue *= 1 + rng.gauss(0.08, 0.15)
                revenue = max(revenue, 10.0)
                objects.append(
                    EnterpriseYear(
                        enterprise_id=enterprise.pk,
                        year=year,
                        revenue=money(revenue),
                        industrial_output=money(revenue * rng.uniform(0.8, 1.05)),
                        tax=money(revenue * rng.uniform(0.02, 0.08)),
                        rd_expense=money(revenue * rng.uniform(0.01, 0.06)),
                        employees=max(1, int(revenue / rng.uniform(30, 80))),
                        export_value=money(revenue * rng.uniform(0.05, 0.3) / 7) if exporter else None,
                        patents_granted=rng.randrange(0, 21),
                        source=SOURCE,
                        is_sample=True,
                    )
                )
            if len(objects) >= 20 * BATCH:
                self.save(EnterpriseYear, objects)
                objects = []
        if objects:
            self.save(EnterpriseYear, objects)

    def make_qualifications(self) -> None:
        rng = self.rng
        objects = []
        for enterprise in self.enterprises:
            roll = rng.random()
            if roll < 0.2:
                kind = QualificationKind.HITECH
            elif roll < 0.3:
                kind = QualificationKind.TECH_SME
            else:
                continue
            issued = day_between(rng, datetime.date(END_YEAR - 8, 1, 1), LAST_DAY)
            objects.append(
                Qualification(
                    enterprise_id=enterprise.pk,
                    kind=kind,
                    certificate_no=f"GR{issued.year}{rng.randrange(10**6):06d}",
                    issued_on=issued,
                    expires_on=issued + datetime.timedelta(days=3 * 365 - 1),
                    source=SOURCE,
                )
            )
        self.save(Qualification, objects)

    def make_incubations(self) -> None:
        rng = self.rng
        incubators = self.save(
            Incubator,
            [
                Incubator(
                    name=f"{PREFIX}{REGIONS[number % len(REGIONS)]}科技企业孵化器{number + 1:02d}",
                    level=rng.choice(Level.values),
                    operator=f"{PREFIX}孵化运营有限公司{number + 1:02d}",
                    area_m2=money(rng.uniform(3000, 50000)),
                    park=rng.choice(self.parks),
                    source=SOURCE,
                )
                for number in range(self.n["incubators"])
            ],
        )
        objects = []
        for enterprise in rng.sample(self.enterprises, self.n["incubations"]):
            entered = day_between(rng, FIRST_DAY, LAST_DAY)
            roll = rng.random()
            status = IncubationStatus.INCUBATING
            left = None
            if roll < 0.5 and entered < LAST_DAY:
                status = IncubationStatus.GRADUATED if roll < 0.35 else IncubationStatus.EXITED
                left = day_between(rng, entered + datetime.timedelta(days=1), LAST_DAY)
            objects.append(
                Incubation(
                    enterprise_id=enterprise.pk,
                    incubator_id=rng.choice(incubators).pk,
                    entered_on=entered,
                    status=status,
                    left_on=left,
                    area_m2=money(rng.uniform(50, 2000)),
                    is_sample=True,
                )
            )
        self.save(Incubation, objects)

    def make_service_requests(self) -> None:
        rng = self.rng
        categories = list(ProblemCategory.values)
        objects = []
        for _number in range(self.n["service_requests"]):
            enterprise = rng.choice(self.enterprises)
            category = rng.choice(categories)
            raised = day_between(rng, FIRST_DAY, LAST_DAY)
            due = raised + datetime.timedelta(days=PROBLEM_TIME_LIMIT_DAYS[category])
            roll = rng.random()
            record = ServiceRequest(
                enterprise_id=enterprise.pk,
                title=f"{PREFIX}：{rng.choice(PROBLEM_TITLES[category])}",
                description=f"{enterprise.short_name}提出，{PREFIX}数据。",
                category=category,
                raised_on=raised,
                assignee_id=rng.choice(self.staff) if rng.random() > 0.1 else None,
                due_on=due,
                is_sample=True,
            )
            if roll < 0.15:
                record.status = ProblemStatus.OPEN
            elif roll < 0.3:
                record.status = ProblemStatus.IN_PROGRESS
            else:
                record.resolved_on = raised + datetime.timedelta(days=rng.randrange(1, 90))
                record.resolution = "已协调相关部门解决（示例）。"
                if roll < 0.55:
                    record.status = ProblemStatus.RESOLVED
                else:
                    record.status = ProblemStatus.CLOSED
                    record.closed_on = record.resolved_on + datetime.timedelta(days=rng.randrange(0, 11))
                    record.confirmation = "企业确认已解决（示例）。"
                    record.satisfaction = rng.choice((3, 4, 4, 5, 5, 5))
            objects.append(record)
            if len(objects) >= 10 * BATCH:
                self.save(ServiceRequest, objects)
                objects = []
        if objects:
            self.save(ServiceRequest, objects)

    # Projects -------------------------------------------------------------------------------------------------

    def make_projects(self) -> None:
        rng = self.rng
        origins = [
            (InvestorOrigin.LOCAL, 20),
            (InvestorOrigin.IN_PROVINCE, 30),
            (InvestorOrigin.OTHER_PROVINCE, 40),
            (InvestorOrigin.HK_MACAO_TAIWAN, 6),
            (InvestorOrigin.FOREIGN, 4),
        ]
        projects, logs = [], []
        for _number in range(self.n["projects"]):
            cluster = rng.choice(self.clusters)
            brand = rng.choice(BRAND_CHARS) + rng.choice(BRAND_CHARS)
            industry = rng.choice(INDUSTRIES[cluster.code] if cluster.code in INDUSTRIES else ["产业"])
            investment = rng.lognormvariate(9.5, 1.3)
            log = self.stage_log(rng)
            projects.append(
                Project(
                    name=f"{PREFIX}{rng.choice(REGIONS)}{brand}{industry}{rng.choice(PROJECT_KINDS)}",
                    investor=f"{PREFIX}{brand}{industry}集团有限公司",
                    investor_origin=weighted(rng, origins),
                    enterprise_id=rng.choice(self.enterprises).pk if rng.random() < 0.3 else None,
                    cluster=cluster,
                    park=rng.choice(self.parks),
                    stage=log[-1][0],
                    contract_investment=money(investment),
                    planned_fixed_asset_investment=money(investment * rng.uniform(0.5, 0.9)),
                    land_mu=money(rng.uniform(10, 500)),
                    expected_completion=log[0][1] + datetime.timedelta(days=rng.randrange(365, 1500)),
                    expected_annual_output=money(investment * rng.uniform(0.8, 2.0)),
                    expected_annual_sales=money(investment * rng.uniform(0.8, 2.0)),
                    expected_annual_tax=money(investment * rng.uniform(0.03, 0.1)),
                    key_provincial_industry=rng.random() < 0.03,
                    key_provincial_tech=rng.random() < 0.03,
                    key_provincial=rng.random() < 0.05,
                    key_city=rng.random() < 0.1,
                    liaison_id=rng.choice(self.staff) if rng.random() > 0.2 else None,
                    source=SOURCE,
                    is_sample=True,
                )
            )
            logs.append(log)
        projects = self.save(Project, projects)
        changes = []
        for project, log in zip(projects, logs, strict=True):
            for stage, on, note in log:
                changes.append(StageChange(project_id=project.pk, stage=stage, on=on, note=note))
        self.save(StageChange, changes)
        self.make_fund_arrivals(projects, logs)
        self.make_updates(projects, logs)

    def make_updates(self, projects: list[Project], logs: list) -> None:
        """About two progress notes per project, dated after its first talks; a few ask for help."""
        rng = self.rng
        objects = []
        for project, log in zip(projects, logs, strict=True):
            for _number in range(rng.choice((0, 1, 2, 2, 3, 4))):
                problem = rng.random() < 0.15
                objects.append(
                    ProjectUpdate(
                        project_id=project.pk,
                        on=day_between(rng, log[0][1], min(LAST_DAY, log[-1][1] + datetime.timedelta(days=180))),
                        text=f"{PREFIX}：" + ("需协调解决用地和审批问题。" if problem else "项目按计划推进。"),
                        is_problem=problem,
                        author_id=rng.choice(self.staff),
                    )
                )
        self.save(ProjectUpdate, objects)

    @staticmethod
    def stage_log(rng: random.Random) -> list[tuple[str, datetime.date, str]]:
        """A project's moves, dated forward: first talks, then each later stage with falling odds; some drop out."""
        on = day_between(rng, FIRST_DAY, LAST_DAY)
        log = [(Stage.NEGOTIATING, on, "")]
        for stage, odds in zip(STAGE_ORDER[1:], (0.75, 0.7, 0.6, 0.5), strict=True):
            step = on + datetime.timedelta(days=rng.randrange(30, 400))
            if rng.random() > odds or step > LAST_DAY:
                break
            on = step
            log.append((stage, on, ""))
        if log[-1][0] != Stage.FULL_PRODUCTION and rng.random() < 0.1:
            dropped = on + datetime.timedelta(days=rng.randrange(30, 300))
            if dropped <= LAST_DAY:
                log.append((Stage.DROPPED, dropped, f"{PREFIX}：投资方调整计划"))
        return log

    def make_fund_arrivals(self, projects: list[Project], logs: list) -> None:
        rng = self.rng
        signed = []
        for project, log in zip(projects, logs, strict=True):
            signed_on = next((on for stage, on, _note in log if stage == Stage.SIGNED), None)
            if signed_on is not None:
                signed.append((project, signed_on))
        if not signed:
            signed = [(project, log[0][1]) for project, log in zip(projects, logs, strict=True)]
        objects = []
        for _number in range(self.n["fund_arrivals"]):
            project, since = rng.choice(signed)
            objects.append(
                FundArrival(
                    project_id=project.pk,
                    arrived_on=day_between(rng, since, min(LAST_DAY, since + datetime.timedelta(days=1500))),
                    amount=money(float(project.contract_investment) * rng.uniform(0.02, 0.25)),
                    source=rng.choice(FUND_SOURCES),
                    note=SOURCE,
                    is_sample=True,
                )
            )
        self.save(FundArrival, objects)

    # Indicators -----------------------------------------------------------------------------------------------

    def make_indicators(self) -> None:
        """The sample indicators, plus the article's indicators (the ones the dashboard draws, ranks and checks
        against the records) with sample values, all approved, for every year and place."""
        from indicators.demo import DEFINITIONS
        from parkadmin.demo import facts

        indicators = []
        for number in range(1, self.n["indicators"] + 1):
            theme, unit, category = INDICATOR_THEMES[(number - 1) % len(INDICATOR_THEMES)]
            note = f"，由 {marker(self.scale, self.seed)} 生成" if number == 1 else ""
            indicators.append(
                Indicator(
                    code=f"{INDICATOR_PREFIX}{number:03d}",
                    name=f"{PREFIX}{theme}{number:03d}",
                    unit=unit,
                    category=category,
                    decimals=2,
                    kind=Kind.REPORTED,
                    definition=f"{PREFIX}指标{note}。",
                    min_value=Decimal(0),
                    is_headline=number <= 4,
                    sort_order=1000 + number,
                )
            )
        taken = set(Indicator.objects.values_list("code", flat=True))
        for order, item in enumerate(facts()["indicators"], start=1):
            if item["code"] in taken:
                continue  # --force into a database that has them: leave its own values alone
            category, decimals, headline, higher, lowest, _highest, name_en = DEFINITIONS[item["code"]]
            indicators.append(
                Indicator(
                    code=item["code"],
                    name=item["name_zh"],
                    name_en=name_en,
                    unit=item["unit"],
                    category=category,
                    decimals=decimals,
                    is_headline=headline,
                    higher_is_better=higher,
                    kind=Kind.REPORTED,
                    min_value=None if lowest is None else Decimal(lowest),
                    max_value=Decimal(item.get("out_of") or 200) if item["unit"] == "位" else None,
                    definition=f"{PREFIX}数据：参考文章的指标，数值为随机生成。",
                    sort_order=order,
                )
            )
        indicators = self.save(Indicator, indicators)
        places = [None, *(park.pk for park in self.parks[: self.n["parks"] - 1])]
        years = range(END_YEAR - YEARS_OF_INDICATORS + 1, END_YEAR + 1)
        values, targets = [], []
        for indicator in indicators:
            zone_series = None
            for place in places:
                series = self.series(indicator, len(years), place is None)
                zone_series = zone_series or series
                for year, value in zip(years, series, strict=True):
                    values.append(
                        IndicatorValue(
                            indicator_id=indicator.pk,
                            park_id=place,
                            year=year,
                            value=value,
                            status=ValueStatus.APPROVED,
                            source=SOURCE,
                            entered_by_id=self.staff[0],
                            approved_by_id=self.staff[1],
                            approved_at=timezone.make_aware(datetime.datetime(year + 1, 1, 15, 10)),
                        )
                    )
            target = zone_series[-1]
            targets.append(
                Target(
                    indicator_id=indicator.pk,
                    park_id=None,
                    year=END_YEAR,
                    value=target if indicator.unit == "位" else money(float(target) * 1.05),
                    source=SOURCE,
                )
            )
            if len(values) >= 20 * BATCH:
                self.save(IndicatorValue, values)
                values = []
        if values:
            self.save(IndicatorValue, values)
        self.save(Target, targets)

    def series(self, indicator: Indicator, years: int, zone: bool) -> list[Decimal]:
        """A plausible run of yearly values: ranks drift within the field, everything else grows."""
        rng = self.rng
        if indicator.unit == "位":
            field = int(indicator.max_value or 200)
            rank = rng.randrange(1, field + 1)
            points = []
            for _year in range(years):
                rank = min(field, max(1, rank + rng.randrange(-5, 4)))
                points.append(Decimal(rank))
            return points
        if indicator.unit == "%":
            return [Decimal(f"{rng.gauss(10, 6):.2f}") for _year in range(years)]
        value = rng.lognormvariate(4, 1) * (10 if zone else 1)
        points = []
        for _year in range(years):
            value = max(value * (1 + rng.gauss(0.07, 0.1)), 1.0)
            points.append(Decimal(round(value)) if indicator.decimals == 0 else money(value))
        return points


def weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights)[0]


# --- databases of their own -------------------------------------------------------------------------------------


def child_environment(database_url: str) -> dict[str, str]:
    """The environment of a manage.py child that works on `database_url` with the production settings."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        DJANGO_SETTINGS_MODULE="parkadmin.settings",
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DJANGO_PLAIN_STATIC="1",
        # Static files come from the finders here: no collected folder is needed (nor warned about).
        PYTHONWARNINGS="ignore:No directory at",
    )
    env.setdefault("DJANGO_SECRET_KEY", settings.SECRET_KEY)
    return env


def manage(args: list[str], database_url: str, **kwargs) -> subprocess.CompletedProcess:
    manage_py = Path(settings.BASE_DIR) / "manage.py"
    return subprocess.run(
        [sys.executable, str(manage_py), *args], env=child_environment(database_url), cwd=settings.BASE_DIR, **kwargs
    )


def ensure_database(database_url: str) -> bool:
    """Create the database of `database_url` if it does not exist; True if it was created."""
    import environ

    config = environ.Env.db_url_config(database_url)
    if config["ENGINE"].endswith("sqlite3"):
        path = Path(config["NAME"])
        path.parent.mkdir(parents=True, exist_ok=True)
        return not path.exists()
    if not config["ENGINE"].endswith("postgresql"):
        raise CommandError(f"Only PostgreSQL and SQLite databases can be created here, not {config['ENGINE']}.")
    import psycopg2
    from psycopg2 import sql

    server = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    server.autocommit = True
    try:
        with server.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [config["NAME"]])
            if cursor.fetchone():
                return False
            cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(config["NAME"])))
            return True
    finally:
        server.close()


class Command(BaseCommand):
    help = (
        "Generate a large synthetic zone marked as sample data (seeded, reproducible) for the benchmark. "
        "Refuses a database holding other records unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 = 5,000 enterprises … (default 1).")
        parser.add_argument("--seed", type=int, default=42, help="Random seed (default 42).")
        parser.add_argument(
            "--database-url",
            help="Create (if needed), migrate and fill this database instead of the configured one.",
        )
        parser.add_argument(
            "--force", action="store_true", help="Add sample data even though the database holds other records."
        )
        parser.add_argument(
            "--replace",
            action="store_true",
            help="Delete sample data of another scale or seed first (only in a database holding sample data only).",
        )

    def handle(self, *args, scale: float, seed: int, database_url: str | None, force: bool, replace: bool, **options):
        if scale <= 0:
            raise CommandError("--scale must be more than 0.")
        if database_url:
            return self.into_own_database(database_url, scale, seed, force, replace)
        wanted = marker(scale, seed)
        found = existing_marker()
        if found == wanted:
            self.stdout.write(f"Sample data of {wanted} is already there; nothing to do.")
            return
        foreign = foreign_records()
        if foreign and not force:
            raise CommandError(
                "This database holds records that are not sample data ("
                + ", ".join(foreign)
                + "). Use a database of its own (--database-url), or --force to add sample data to it anyway."
            )
        if has_sample_data():
            if not replace:
                raise CommandError(
                    f"This database already holds sample data ({found or 'incomplete'}); use --replace to make "
                    "it again with this scale and seed, or another database."
                )
            if foreign:
                raise CommandError("Sample data can be replaced only in a database that holds sample data only.")
            with transaction.atomic():
                wipe_sample_data()
        started = time.perf_counter()
        self.stdout.write(f"Generating sample data: {wanted} into {connection.settings_dict['NAME']}")
        generator = Generator(scale, seed, out=self.stdout)
        with transaction.atomic():
            made = generator.run()
        refresh_statistics()
        from dashboard.cache import invalidate

        invalidate()
        total = sum(made.values())
        self.stdout.write(
            self.style.SUCCESS(f"Made {total:,} sample records in {time.perf_counter() - started:.1f} s.")
        )

    def into_own_database(self, database_url: str, scale: float, seed: int, force: bool, replace: bool) -> None:
        created = ensure_database(database_url)
        if created:
            self.stdout.write(f"Created the database {database_url}")
        migrate = manage(["migrate", "--no-input", "--verbosity", "0"], database_url)
        if migrate.returncode:
            raise CommandError(f"Could not migrate {database_url}.")
        args = ["generate_sample_data", "--scale", f"{scale:g}", "--seed", str(seed)]
        args += ["--force"] if force else []
        args += ["--replace"] if replace else []
        child = manage(args, database_url)
        if child.returncode:
            raise CommandError(f"Generating sample data in {database_url} failed.")
