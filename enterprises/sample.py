"""The enterprises of the benchmark's synthetic zone: enterprises, their yearly figures, qualifications,
incubations and problems, in the zone's parks and clusters (`run.parks`, `run.clusters`)."""

from __future__ import annotations

import datetime
import random

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
from parkadmin.sample import (
    BATCH,
    BRAND_CHARS,
    END_YEAR,
    FIRST_DAY,
    LAST_DAY,
    PREFIX,
    REGIONS,
    SOURCE,
    SampleRun,
    day_between,
    delete_all,
    money,
    person,
    weighted,
)
from parks.sample import ALL_INDUSTRIES, INDUSTRIES

YEARS_OF_FIGURES = 10
COMPANY_SUFFIXES = ["有限公司", "有限公司", "有限责任公司", "股份有限公司"]
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
SAMPLE_FLAGGED = (Enterprise, EnterpriseYear, ServiceRequest, Incubation)


def credit_code(rng: random.Random) -> str:
    """A unified social credit code with a correct check character (GB 32100-2015): 91 = enterprise, then a
    Huaihua division code, a random organisation code and the check character."""
    first = "91" + rng.choice(DIVISIONS) + "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(9))
    return first + credit_code_check_character(first)


def company_name(rng: random.Random, cluster, taken: set[str], *, prefix: str = "") -> tuple[str, str, str]:
    """(brand, industry, full name) of a company of `cluster` (None: any industry), a name not in `taken` (which
    it joins): a place of Huaihua, two brand characters, the industry and a company form."""
    industries = INDUSTRIES[cluster.code] if cluster and cluster.code in INDUSTRIES else ALL_INDUSTRIES
    while True:
        brand = rng.choice(BRAND_CHARS) + rng.choice(BRAND_CHARS)
        industry = rng.choice(industries)
        name = f"{prefix}{rng.choice(REGIONS)}{brand}{industry}{rng.choice(COMPANY_SUFFIXES)}"
        if name not in taken:
            taken.add(name)
            return brand, industry, name


def make(run: SampleRun) -> None:
    """Every record of the app, in the order the generator draws them; sets `run.enterprises`."""
    run.enterprises = make_enterprises(run)
    make_years(run)
    make_qualifications(run)
    make_incubations(run)
    make_service_requests(run)


def make_enterprises(run: SampleRun) -> list[Enterprise]:
    rng = run.rng
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
    for number in range(run.n["enterprises"]):
        cluster = run.clusters[number % len(run.clusters)] if rng.random() > 0.05 else None
        brand, industry, name = company_name(rng, cluster, names, prefix=PREFIX)
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
                park=rng.choice(run.parks) if rng.random() > 0.03 else None,
                status=weighted(rng, statuses),
                size_class=weighted(rng, sizes),
                address=f"怀化高新区{PREFIX}路{number + 1}号",
                contact_person=person(rng),
                contact_phone=f"0745-{rng.randrange(10**7):07d}",
                liaison_id=rng.choice(run.staff) if rng.random() > 0.3 else None,
                listing_stage=weighted(rng, listings),
                land_area_mu=money(rng.uniform(5, 300)) if rng.random() > 0.5 else None,
                has_own_plant=rng.random() > 0.6,
                source=SOURCE,
                is_sample=True,
            )
        )
    return run.save(Enterprise, objects)


def make_years(run: SampleRun) -> None:
    rng = run.rng
    objects = []
    first_year = END_YEAR - YEARS_OF_FIGURES + 1
    for enterprise in run.enterprises:
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
            run.save(EnterpriseYear, objects)
            objects = []
    if objects:
        run.save(EnterpriseYear, objects)


def make_qualifications(run: SampleRun) -> None:
    rng = run.rng
    objects = []
    for enterprise in run.enterprises:
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
    run.save(Qualification, objects)


def make_incubations(run: SampleRun) -> None:
    rng = run.rng
    incubators = run.save(
        Incubator,
        [
            Incubator(
                name=f"{PREFIX}{REGIONS[number % len(REGIONS)]}科技企业孵化器{number + 1:02d}",
                level=rng.choice(Level.values),
                operator=f"{PREFIX}孵化运营有限公司{number + 1:02d}",
                area_m2=money(rng.uniform(3000, 50000)),
                park=rng.choice(run.parks),
                source=SOURCE,
            )
            for number in range(run.n["incubators"])
        ],
    )
    objects = []
    for enterprise in rng.sample(run.enterprises, run.n["incubations"]):
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
    run.save(Incubation, objects)


def make_service_requests(run: SampleRun) -> None:
    rng = run.rng
    categories = list(ProblemCategory.values)
    objects = []
    for _number in range(run.n["service_requests"]):
        enterprise = rng.choice(run.enterprises)
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
            assignee_id=rng.choice(run.staff) if rng.random() > 0.1 else None,
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
            run.save(ServiceRequest, objects)
            objects = []
    if objects:
        run.save(ServiceRequest, objects)


def foreign_records() -> list[str]:
    """The kinds of record here that are not sample data."""
    found = [
        str(model._meta.verbose_name_plural)
        for model in SAMPLE_FLAGGED
        if model._default_manager.filter(is_sample=False).exists()
    ]
    for model in (Qualification, Incubator, ResearchPlatform):
        if model._default_manager.exclude(source=SOURCE).exists():
            found.append(str(model._meta.verbose_name_plural))
    return found


def has_sample_data() -> bool:
    return Enterprise.objects.filter(is_sample=True).exists()


def wipe() -> None:
    """Delete every record of the app (after the records of other apps that point at enterprises)."""
    delete_all([Incubation, Incubator, ServiceRequest, Qualification, EnterpriseYear, Enterprise])
