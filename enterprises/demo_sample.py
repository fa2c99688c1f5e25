"""The demo's sample enterprises: invented records that agree with what the reference article counts.

The article gives counts, not names: 高新技术企业 from 13 to 33 "近三年来" (read as the ends of 2017 and 2019), 69
enterprises incubating and 34 graduated (2020). These records reproduce them: the certificates of the high-tech
enterprises (valid three years, renewed), the stays in the article's national incubator, and the yearly figures
of the established enterprises. Every record is marked as sample (`is_sample`, or `DEMO_SOURCE` where the model has
no such flag), so its page says so. They are made once, from a seeded generator: loading the demo again leaves them
as they are.
"""

from __future__ import annotations

import datetime
import random

from django.utils import timezone

from enterprises.choices import (
    PROBLEM_TIME_LIMIT_DAYS,
    EnterpriseStatus,
    IncubationStatus,
    ProblemStatus,
    QualificationKind,
    SizeClass,
)
from enterprises.models import Enterprise, EnterpriseYear, Incubation, Incubator, Qualification, ServiceRequest
from enterprises.sample import PROBLEM_TITLES, company_name, credit_code
from parkadmin.imports.bulk import insert_with_history
from parkadmin.sample import DEMO_SOURCE, day_between, money, person, weighted

SEED = "parkadmin-demo-enterprises"
LATEST_YEAR = 2020  # the demo's latest year: the article's
# Enterprises first certified as national high-tech enterprises, by year. Certificates last three years and are
# renewed, except HITECH_LAPSED of those first certified in 2017 (they lapse in 2020). Holders at the year's end:
# 2017 13, 2018 22, 2019 33 (the article's), 2020 38.
HITECH_FIRST_CERTIFIED = {2014: 4, 2015: 3, 2016: 3, 2017: 3, 2018: 9, 2019: 11, 2020: 7}
HITECH_LAPSED = 2
HITECH_GRADUATES = 12  # of the high-tech enterprises, those that graduated from the incubator
INCUBATING = 69  # at the end of 2020 (the article's)
GRADUATED = 34  # by the article's time, 2020-03 (the article's)
EXITED = 8  # left the incubator without graduating
OTHER_ESTABLISHED = 20  # neither high-tech nor from the incubator
# Problems enterprises raised (the article counts none): those of 2019–2020 all answered, and a few raised in the
# weeks before the demo is loaded still open, some past their time limit, so the problem list and the dashboard's
# chart of open and overdue problems show a zone at work.
PROBLEMS_ANSWERED = 36
PROBLEMS_OPEN = 12
OPEN_WITHIN_DAYS = 75  # the open ones were raised this many days before the load, at most
GRADUATED_BY = datetime.date(2020, 3, 31)
FIGURES_FROM = 2016  # yearly figures of the established enterprises, from this year to LATEST_YEAR
CLUSTER_WEIGHTS = [("EIT", 35), ("NEM", 25), ("BIO", 20), ("AGR", 20)]
PARKS_OF_CLUSTER = {
    "EIT": ["core", "eit-park", "wuyi"],
    "NEM": ["core", "materials"],
    "AGR": ["agri"],
    "BIO": ["pharma"],
}
INCUBATOR_PARK = "core"


def load(*, parks: dict, incubator: Incubator) -> dict:
    """Make the sample records, unless they are there already; returns their counts."""
    if not Enterprise.objects.filter(is_sample=True, source=DEMO_SOURCE).exists():
        Maker(random.Random(SEED), parks, incubator).make()
    return counts()


def counts() -> dict:
    return {
        "sample enterprises": Enterprise.objects.filter(is_sample=True, source=DEMO_SOURCE).count(),
        "sample qualifications": Qualification.objects.filter(source=DEMO_SOURCE).count(),
        "sample incubations": Incubation.objects.filter(is_sample=True, enterprise__source=DEMO_SOURCE).count(),
        "sample yearly figures": EnterpriseYear.objects.filter(is_sample=True, source=DEMO_SOURCE).count(),
        "sample problems": ServiceRequest.objects.filter(is_sample=True, enterprise__source=DEMO_SOURCE).count(),
    }


def hitech_holders_at_end_of(year: int) -> int:
    """How many sample enterprises the plan above certifies at the end of `year` (what the records must give)."""
    first = sum(n for y, n in HITECH_FIRST_CERTIFIED.items() if y <= year)
    lapsed = HITECH_LAPSED if year >= 2017 + 3 else 0
    return first - lapsed


class Maker:
    def __init__(self, rng: random.Random, parks: dict, incubator: Incubator) -> None:
        from parks.models import IndustryCluster

        self.rng = rng
        self.parks = parks
        self.incubator = incubator
        self.clusters = {c.code: c for c in IndustryCluster.objects.all()}
        self.names = set(Enterprise.objects.values_list("name", flat=True))
        self.codes = set(Enterprise.objects.exclude(credit_code=None).values_list("credit_code", flat=True))

    def make(self) -> None:
        rng = self.rng
        graduates = [self.enterprise("graduate") for _ in range(GRADUATED)]
        hitech_count = sum(HITECH_FIRST_CERTIFIED.values())
        established = [self.enterprise("established") for _ in range(hitech_count - HITECH_GRADUATES)]
        others = [self.enterprise("established") for _ in range(OTHER_ESTABLISHED)]
        incubating = [self.enterprise("incubating") for _ in range(INCUBATING)]
        exited = [self.enterprise("exited") for _ in range(EXITED)]
        # The stays first: an enterprise is founded by the day it entered the incubator.
        incubations = [self.stay(e, IncubationStatus.GRADUATED) for e in graduates]
        incubations += [self.stay(e, IncubationStatus.INCUBATING) for e in incubating]
        incubations += [self.stay(e, IncubationStatus.EXITED) for e in exited]
        insert_with_history(graduates + established + others + incubating + exited, Enterprise, None)

        # The established enterprises hold the early certificates; graduates are certified lately.
        hitech = established + graduates[:HITECH_GRADUATES]
        firsts = [year for year, n in sorted(HITECH_FIRST_CERTIFIED.items()) for _ in range(n)]
        lapsing = [number for number, year in enumerate(firsts) if year == 2017][:HITECH_LAPSED]
        qualifications = []
        for number, (enterprise, first) in enumerate(zip(hitech, firsts, strict=True)):
            qualifications += self.hitech_certificates(enterprise, first, renewed=number not in lapsing)
        for enterprise in incubating:
            if rng.random() < 0.4:
                qualifications.append(self.tech_sme(enterprise))
        insert_with_history(qualifications, Qualification, None)
        insert_with_history(incubations, Incubation, None)

        hitech_ids = {e.pk for e in hitech}
        years = []
        for enterprise in graduates + established + others:
            years += self.figures(enterprise, hitech=enterprise.pk in hitech_ids)
        insert_with_history(years, EnterpriseYear, None)
        insert_with_history(self.problems(graduates + established + others + incubating), ServiceRequest, None)

    def enterprise(self, kind: str) -> Enterprise:
        rng = self.rng
        cluster = self.clusters[weighted(rng, CLUSTER_WEIGHTS)]
        brand, industry, name = company_name(rng, cluster, self.names)
        while (code := credit_code(rng)) in self.codes:
            pass
        self.codes.add(code)
        young = kind in ("incubating", "exited")
        park = INCUBATOR_PARK if young else rng.choice(PARKS_OF_CLUSTER[cluster.code])
        if young:
            founded = day_between(rng, datetime.date(2014, 1, 1), datetime.date(2020, 6, 30))
            sizes = [(SizeClass.MICRO, 80), (SizeClass.SMALL, 20)]
        elif kind == "graduate":
            founded = day_between(rng, datetime.date(2010, 1, 1), datetime.date(2016, 12, 31))
            sizes = [(SizeClass.SMALL, 60), (SizeClass.MEDIUM, 35), (SizeClass.LARGE, 5)]
        else:
            founded = day_between(rng, datetime.date(1998, 1, 1), datetime.date(2014, 12, 31))
            sizes = [(SizeClass.SMALL, 35), (SizeClass.MEDIUM, 45), (SizeClass.LARGE, 20)]
        status = EnterpriseStatus.OPERATING
        if kind == "exited":
            status = weighted(rng, [(EnterpriseStatus.MOVED_OUT, 60), (EnterpriseStatus.CLOSED, 40)])
        return Enterprise(
            name=name,
            short_name=f"{brand}{industry}"[:50],
            credit_code=code,
            legal_representative=person(rng),
            founded_on=founded,
            registered_capital=money(rng.lognormvariate(5.5 if young else 7.5, 0.8)),
            cluster=cluster,
            park=self.parks[park],
            status=status,
            size_class=weighted(rng, sizes),
            address=self.address(park),
            contact_person=person(rng),
            contact_phone=f"0745-{rng.randrange(2000000, 8999999)}",
            land_area_mu=None if young else money(rng.uniform(10, 200)),
            has_own_plant=not young and rng.random() < 0.6,
            source=DEMO_SOURCE,
            is_sample=True,
        )

    def address(self, park: str) -> str:
        rng = self.rng
        if park == INCUBATOR_PARK and rng.random() < 0.5:
            return f"怀化高新区创服大楼{rng.randrange(2, 19)}楼{rng.randrange(1, 30):02d}室"
        road = rng.choice(["迎丰西路", "正清路", "坨院路", "高新大道", "工业北路", "舞水大道", "杨村路", "创新路"])
        return f"怀化高新区{road}{rng.randrange(1, 400)}号"

    def hitech_certificates(self, enterprise: Enterprise, first: int, *, renewed: bool) -> list[Qualification]:
        """Certificates issued late in `first` and every three years after (while renewed), up to LATEST_YEAR."""
        rng = self.rng
        certificates = []
        year = first
        while year <= LATEST_YEAR:
            issued = day_between(rng, datetime.date(year, 10, 20), datetime.date(year, 12, 10))
            certificates.append(
                Qualification(
                    enterprise=enterprise,
                    kind=QualificationKind.HITECH,
                    certificate_no=f"GR{year}43{rng.randrange(1, 10**6):06d}",
                    issued_on=issued,
                    expires_on=issued.replace(year=issued.year + 3) - datetime.timedelta(days=1),
                    source=DEMO_SOURCE,
                )
            )
            if not renewed:
                break
            year += 3
        return certificates

    def tech_sme(self, enterprise: Enterprise) -> Qualification:
        """A 科技型中小企业 registration: a year, entered in the demo's latest year."""
        issued = day_between(self.rng, datetime.date(LATEST_YEAR, 5, 1), datetime.date(LATEST_YEAR, 9, 30))
        return Qualification(
            enterprise=enterprise,
            kind=QualificationKind.TECH_SME,
            certificate_no=f"{LATEST_YEAR}4312{self.rng.randrange(1, 10**6):06d}",
            issued_on=issued,
            expires_on=datetime.date(LATEST_YEAR, 12, 31),
            source=DEMO_SOURCE,
        )

    def stay(self, enterprise: Enterprise, status: str) -> Incubation:
        rng = self.rng
        left = None
        if status == IncubationStatus.GRADUATED:
            entered = day_between(rng, datetime.date(2013, 3, 1), datetime.date(2017, 6, 30))
            left = min(entered + datetime.timedelta(days=rng.randrange(600, 1300)), GRADUATED_BY)
        elif status == IncubationStatus.EXITED:
            entered = day_between(rng, datetime.date(2015, 1, 1), datetime.date(2019, 6, 30))
            left = entered + datetime.timedelta(days=rng.randrange(200, 500))
        else:
            # More of those still incubating came in lately; none after the demo's latest November.
            start = datetime.date(rng.choice([2017, 2018, 2019, 2019, 2020, 2020]), 1, 1)
            entered = day_between(rng, start, min(start.replace(month=12, day=31), datetime.date(LATEST_YEAR, 11, 30)))
        enterprise.founded_on = min(enterprise.founded_on, entered)
        return Incubation(
            enterprise=enterprise,
            incubator=self.incubator,
            entered_on=entered,
            status=status,
            left_on=left,
            area_m2=money(rng.uniform(40, 600)),
            is_sample=True,
        )

    def problems(self, enterprises: list[Enterprise]) -> list[ServiceRequest]:
        """Problems answered in 2019–2020, then open ones raised in the weeks before today (the load's day)."""
        rng, today = self.rng, timezone.localdate()
        problems = []
        for number in range(PROBLEMS_ANSWERED + PROBLEMS_OPEN):
            category = rng.choice(list(PROBLEM_TITLES))
            answered = number < PROBLEMS_ANSWERED
            if answered:
                raised = day_between(rng, datetime.date(2019, 1, 1), datetime.date(2020, 10, 31))
            else:
                raised = today - datetime.timedelta(days=rng.randrange(1, OPEN_WITHIN_DAYS))
            problem = ServiceRequest(
                enterprise=rng.choice(enterprises),
                title=rng.choice(PROBLEM_TITLES[category]),
                category=category,
                raised_on=raised,
                due_on=raised + datetime.timedelta(days=PROBLEM_TIME_LIMIT_DAYS[category]),
                status=rng.choice((ProblemStatus.OPEN, ProblemStatus.IN_PROGRESS)),
                is_sample=True,
            )
            if answered:
                problem.status = ProblemStatus.CLOSED
                problem.resolved_on = raised + datetime.timedelta(days=rng.randrange(3, 40))
                problem.closed_on = problem.resolved_on + datetime.timedelta(days=rng.randrange(0, 8))
                problem.resolution = "已协调相关部门解决（示例）。"
                problem.confirmation = "企业确认已解决（示例）。"
                problem.satisfaction = rng.choice((4, 4, 5, 5, 5))
            problems.append(problem)
        return problems

    def figures(self, enterprise: Enterprise, *, hitech: bool) -> list[EnterpriseYear]:
        """Yearly figures (万元) from FIGURES_FROM, or the year after its founding, to the demo's latest year."""
        rng = self.rng
        revenue = rng.lognormvariate(9.3 if hitech else 8.4, 0.8)
        exporter = rng.random() < 0.25
        staff_cost = rng.uniform(25, 60)
        rows = []
        for year in range(max(FIGURES_FROM, enterprise.founded_on.year + 1), LATEST_YEAR + 1):
            revenue *= 1 + rng.gauss(0.12 if hitech else 0.07, 0.08)
            rows.append(
                EnterpriseYear(
                    enterprise=enterprise,
                    year=year,
                    revenue=money(revenue),
                    industrial_output=money(revenue * rng.uniform(0.85, 1.05)),
                    tax=money(revenue * rng.uniform(0.03, 0.07)),
                    rd_expense=money(revenue * rng.uniform(0.03 if hitech else 0.005, 0.06 if hitech else 0.02)),
                    employees=max(8, int(revenue / staff_cost)),
                    export_value=money(revenue * rng.uniform(0.05, 0.2) / 7) if exporter else None,
                    patents_granted=rng.randrange(1, 12) if hitech else rng.randrange(0, 3),
                    source=DEMO_SOURCE,
                    is_sample=True,
                )
            )
        return rows
