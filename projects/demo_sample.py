"""The demo's sample projects: invented records that agree with what the reference article counts for 2019.

The article gives the year's figures, not the projects: 18 formal park-entry contracts signed (合同引资 358.7亿元,
one over 10亿元, eleven of 1亿元 or more), 10 projects started, 10 put into production, 2 provincial "Five 100s"
major industrial and 3 tech-innovation projects, 31 city key projects, 32亿元 arrived from other provinces. The
sample projects are signed from 2017 to 2020 along the stage paths in COHORTS, chosen so that the moves of 2019
reproduce those counts; their fund arrivals of 2019 from investors of other provinces add up to the article's sum.
Each is marked as sample (`is_sample`); they are made once, from a seeded generator.
"""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from enterprises.demo_sample import PARKS_OF_CLUSTER
from enterprises.models import Enterprise, EnterpriseYear
from parkadmin.imports.bulk import insert_with_history
from parkadmin.sample import BRAND_CHARS, DEMO_SOURCE, day_between, money, weighted
from parks.models import IndustryCluster, Park
from parks.sample import INDUSTRIES
from projects.choices import HUNDRED_MILLION, ONE_BILLION, InvestorOrigin, Stage
from projects.models import FundArrival, Project, StageChange

SEED = "parkadmin-demo-projects"
LATEST_DAY = datetime.date(2020, 12, 31)  # the demo's latest year: the article's
ARTICLE_YEAR = 2019
# How many projects take each path: (the year of each move after first talks), how many. Signed in 2019: 18;
# started (construction) in 2019: 5 + 3 + 2 = 10; in production in 2019: 4 + 3 + 3 = 10.
S, C, P, F, D = Stage.SIGNED, Stage.CONSTRUCTION, Stage.PRODUCTION, Stage.FULL_PRODUCTION, Stage.DROPPED
COHORTS = [
    (((S, 2017), (C, 2017), (P, 2018), (F, 2019)), 4),
    (((S, 2017), (C, 2018), (P, 2019), (F, 2020)), 4),
    (((S, 2017), (C, 2018), (P, 2019)), 3),
    (((S, 2017), (C, 2018)), 1),
    (((S, 2017), (D, 2019)), 1),
    (((S, 2017),), 1),
    (((S, 2018), (C, 2018), (P, 2019)), 3),
    (((S, 2018), (C, 2019), (P, 2020)), 5),
    (((S, 2018), (C, 2019)), 3),
    (((S, 2018), (C, 2020)), 2),
    (((S, 2018),), 2),
    (((S, 2018), (D, 2020)), 1),
    (((S, 2019), (C, 2019), (P, 2020)), 2),
    (((S, 2019), (C, 2020)), 8),
    (((S, 2019),), 8),
    (((S, 2020), (C, 2020)), 4),
    (((S, 2020),), 8),
    (((), 8)),  # in talks since 2020
    (((D, 2020),), 2),  # talks of 2020 that came to nothing
]
# The article's 2019: contract investment of the projects signed (万元) and their bands.
SIGNED_INVESTMENT_2019 = Decimal(3_587_000)
OVER_100M_2019 = 11  # of which one over 1 billion
KEY_AT_END_OF_2019 = {"key_provincial_industry": 2, "key_provincial_tech": 3, "key_city": 31}
OUT_OF_PROVINCE_FUNDS_2019 = Decimal(320_000)
MAX_FUNDS_A_YEAR = 40_000  # 万元, for one project
ORIGINS = [
    (InvestorOrigin.OTHER_PROVINCE, 45),
    (InvestorOrigin.IN_PROVINCE, 25),
    (InvestorOrigin.LOCAL, 20),
    (InvestorOrigin.HK_MACAO_TAIWAN, 6),
    (InvestorOrigin.FOREIGN, 4),
]
PLACES = {
    InvestorOrigin.OTHER_PROVINCE: ["深圳", "广东", "浙江", "江苏", "福建", "上海", "北京", "重庆", "四川", "湖北"],
    InvestorOrigin.IN_PROVINCE: ["长沙", "株洲", "湘潭", "衡阳", "常德", "邵阳", "湖南"],
    InvestorOrigin.LOCAL: ["怀化"],
    InvestorOrigin.HK_MACAO_TAIWAN: ["香港", "台湾"],
    InvestorOrigin.FOREIGN: ["新加坡"],
}
PROJECT_KINDS = ["生产基地项目", "产业园项目", "研发中心项目", "智能制造项目", "生产线项目", "扩能改造项目"]
INVESTOR_FORMS = ["科技有限公司", "实业有限公司", "集团有限公司", "股份有限公司"]
FUND_SOURCES = ["自有资金", "银行贷款", "股权融资", "产业基金"]


def load() -> dict:
    """Make the sample projects, unless they are there already; returns their counts."""
    if not Project.objects.filter(is_sample=True, source=DEMO_SOURCE).exists():
        Maker(random.Random(SEED)).make()
    return {
        "sample projects": Project.objects.filter(is_sample=True, source=DEMO_SOURCE).count(),
        "sample fund arrivals": FundArrival.objects.filter(is_sample=True, note=DEMO_SOURCE).count(),
    }


class Maker:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.clusters = list(IndustryCluster.objects.order_by("code"))
        self.parks = {p.code: p for p in Park.objects.all()}
        self.names = set(Project.objects.values_list("name", flat=True))
        # Established sample enterprises (those with yearly figures), by cluster: local investors expanding.
        established = Enterprise.objects.filter(
            is_sample=True, source=DEMO_SOURCE, pk__in=EnterpriseYear.objects.values("enterprise_id")
        ).order_by("name")
        self.local = {}
        for enterprise in established:
            self.local.setdefault(enterprise.cluster_id, []).append(enterprise)

    def make(self) -> None:
        plans = [path for path, count in COHORTS for _ in range(count)]
        logs = [self.log(path) for path in plans]
        projects = [self.project(log) for log in logs]
        self.amounts(projects, logs)
        self.key_flags(projects, logs)
        for project, log in zip(projects, logs, strict=True):
            project.stage = log[-1][0]
            self.expectations(project, log)
        insert_with_history(projects, Project, None)
        StageChange.objects.bulk_create(
            StageChange(project=project, stage=stage, on=on, note=note)
            for project, log in zip(projects, logs, strict=True)
            for stage, on, note in log
        )
        arrivals = self.arrivals(projects, logs)
        insert_with_history(arrivals, FundArrival, None)

    def log(self, path) -> list[tuple[str, datetime.date, str]]:
        """First talks, then each move of `path` in its year, a month or more apart where the year allows."""
        rng = self.rng
        moves = list(path)
        first_year = moves[0][1] if moves else LATEST_DAY.year
        first = day_between(rng, datetime.date(first_year, 1, 1), datetime.date(first_year, 9, 30))
        if moves and moves[0][0] != Stage.DROPPED:
            first -= datetime.timedelta(days=rng.randrange(60, 240))
        log = [(Stage.NEGOTIATING, first, "")]
        for number, (stage, year) in enumerate(moves):
            later_same_year = sum(1 for _stage, y in moves[number + 1 :] if y == year)
            low = max(log[-1][1] + datetime.timedelta(days=30), datetime.date(year, 1, 1))
            high = min(datetime.date(year, 12, 31), LATEST_DAY) - datetime.timedelta(days=30 * later_same_year)
            on = day_between(rng, min(low, high), high) if low <= high else high
            on = max(on, log[-1][1])
            note = "投资方调整投资计划，项目终止。" if stage == Stage.DROPPED else ""
            log.append((stage, on, note))
        return log

    def project(self, log) -> Project:
        rng = self.rng
        cluster = rng.choice(self.clusters)
        origin = weighted(rng, ORIGINS)
        industry = rng.choice(INDUSTRIES[cluster.code])
        enterprise = None
        if origin == InvestorOrigin.LOCAL and self.local.get(cluster.pk) and rng.random() < 0.7:
            enterprise = rng.choice(self.local[cluster.pk])
        while True:
            brand = rng.choice(BRAND_CHARS) + rng.choice(BRAND_CHARS)
            if enterprise is not None:
                name = f"{enterprise.short_name}{rng.choice(['扩建项目', '二期项目', '技改扩能项目'])}"
            else:
                name = f"{brand}{industry}{rng.choice(PROJECT_KINDS)}"
            if name not in self.names:
                self.names.add(name)
                break
            enterprise = None
        investor = enterprise.name if enterprise else f"{rng.choice(PLACES[origin])}{brand}{industry}"
        if enterprise is None:
            investor += rng.choice(INVESTOR_FORMS)
        return Project(
            name=name,
            investor=investor,
            investor_origin=origin,
            enterprise=enterprise,
            cluster=cluster,
            park=self.parks[rng.choice(PARKS_OF_CLUSTER[cluster.code])],
            land_mu=money(rng.uniform(15, 260)),
            notes="示例项目：为使演示数据与参考文章的2019年统计一致而生成。",
            source=DEMO_SOURCE,
            is_sample=True,
        )

    def amounts(self, projects: list[Project], logs: list) -> None:
        """Contract investment (万元): the article's 2019 total and bands for those signed in 2019 (the one over
        10亿元 still under construction), one over 10亿元 of those signed in 2020, else a spread under 10亿元."""
        rng = self.rng
        signed_2019 = [(p, log) for p, log in zip(projects, logs, strict=True) if signed_year(log) == ARTICLE_YEAR]
        of_2019 = sorted((p for p, _log in signed_2019), key=lambda p: p not in building(signed_2019))
        for project in projects:
            amount = min(rng.lognormvariate(10, 0.9), 95_000)
            project.contract_investment = Decimal(max(800, round(amount, -2)))
        # 2019: one over 10亿元 (the rest of the total), ten from 1亿 to 10亿, the others under 1亿元.
        for number, project in enumerate(of_2019[1:]):
            low, high = (12_000, 80_000) if number < OVER_100M_2019 - 1 else (1_500, 9_500)
            project.contract_investment = Decimal(round(rng.uniform(low, high), -2))
        # 2020 (the demo's current year) has one over 10亿元 too, so its investment reads as a year's.
        of_2020 = [p for p, log in zip(projects, logs, strict=True) if signed_year(log) == ARTICLE_YEAR + 1]
        of_2020[0].contract_investment = Decimal(round(rng.uniform(120_000, 200_000), -2))
        rest = sum(p.contract_investment for p in of_2019[1:])
        of_2019[0].contract_investment = SIGNED_INVESTMENT_2019 - rest
        if (
            of_2019[0].contract_investment < ONE_BILLION
            or sum(1 for p in of_2019 if p.contract_investment >= HUNDRED_MILLION) != OVER_100M_2019
        ):
            raise ValueError("The sample projects of 2019 no longer match the article's bands.")

    def key_flags(self, projects: list[Project], logs: list) -> None:
        """The article's key projects among those in the pipeline at the end of 2019 (the biggest are the
        provincial industrial ones), and a few more among the later ones."""
        rng = self.rng
        end = datetime.date(ARTICLE_YEAR, 12, 31)
        live = [
            p
            for p, log in zip(projects, logs, strict=True)
            if log[0][1] <= end and not any(s == Stage.DROPPED and on <= end for s, on, _n in log)
        ]
        by_size = sorted(live, key=lambda p: -p.contract_investment)
        for project in by_size[: KEY_AT_END_OF_2019["key_provincial_industry"]]:
            project.key_provincial_industry = True
        tech = [p for p in by_size if p.cluster.code in ("EIT", "BIO") and not p.key_provincial_industry]
        for project in tech[: KEY_AT_END_OF_2019["key_provincial_tech"]]:
            project.key_provincial_tech = True
        for project in rng.sample(live, KEY_AT_END_OF_2019["key_city"]):
            project.key_city = True
        later = [p for p, log in zip(projects, logs, strict=True) if log[0][1] > end]
        for project in rng.sample(later, 3):
            project.key_city = True

    def expectations(self, project: Project, log) -> None:
        rng = self.rng
        investment = float(project.contract_investment)
        started = next((on for stage, on, _n in log if stage == Stage.CONSTRUCTION), None)
        project.planned_fixed_asset_investment = money(investment * rng.uniform(0.55, 0.85))
        project.expected_annual_output = money(investment * rng.uniform(0.8, 1.8))
        project.expected_annual_tax = money(investment * rng.uniform(0.03, 0.08))
        project.expected_completion = (started or log[0][1]) + datetime.timedelta(days=rng.randrange(365, 900))

    def arrivals(self, projects: list[Project], logs: list) -> list[FundArrival]:
        """Money arrived for the signed projects, a few sums a year from signing (until dropped); those of 2019 from
        investors of other provinces scaled to the article's total."""
        rng = self.rng
        arrivals = []
        for project, log in zip(projects, logs, strict=True):
            signed = next((on for stage, on, _n in log if stage == Stage.SIGNED), None)
            if signed is None:
                continue
            until = next((on for stage, on, _n in log if stage == Stage.DROPPED), LATEST_DAY)
            for year in range(signed.year, LATEST_DAY.year + 1):
                start, end = max(signed, datetime.date(year, 1, 1)), min(until, datetime.date(year, 12, 31))
                if start > end:
                    continue
                # A few per cent of the contract a year, at most 4亿元 (no month dwarfs the others).
                share = min(float(project.contract_investment) * rng.uniform(0.02, 0.07), MAX_FUNDS_A_YEAR)
                count = rng.choice((1, 2, 2, 3, 4))
                for _number in range(count):
                    arrivals.append(
                        FundArrival(
                            project=project,
                            arrived_on=day_between(rng, start, end),
                            amount=money(share / count * rng.uniform(0.6, 1.4)),
                            source=rng.choice(FUND_SOURCES),
                            note=DEMO_SOURCE,
                            is_sample=True,
                        )
                    )
        scale_to(
            [
                a
                for a in arrivals
                if a.arrived_on.year == ARTICLE_YEAR and a.project.investor_origin == InvestorOrigin.OTHER_PROVINCE
            ],
            OUT_OF_PROVINCE_FUNDS_2019,
        )
        return arrivals


def building(projects_and_logs) -> list[Project]:
    """Those whose last move is the start of construction."""
    return [p for p, log in projects_and_logs if log[-1][0] == Stage.CONSTRUCTION]


def signed_year(log) -> int | None:
    return next((on.year for stage, on, _n in log if stage == Stage.SIGNED), None)


def scale_to(arrivals: list[FundArrival], total: Decimal) -> None:
    """Scale the amounts so they add up to `total` exactly (the last one takes the rounding)."""
    factor = total / sum(a.amount for a in arrivals)
    for arrival in arrivals[:-1]:
        arrival.amount = (arrival.amount * factor).quantize(Decimal("0.01"))
    arrivals[-1].amount = total - sum(a.amount for a in arrivals[:-1])
