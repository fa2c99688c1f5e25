"""The investment projects of the benchmark's synthetic zone: projects with their stage logs, fund arrivals and
progress notes, in the zone's parks and clusters, some for its enterprises (`run.enterprises`)."""

from __future__ import annotations

import datetime
import math
import random

from parkadmin.sample import (
    BRAND_CHARS,
    FIRST_DAY,
    LAST_DAY,
    PREFIX,
    REGIONS,
    SOURCE,
    SampleRun,
    day_between,
    delete_all,
    money,
    weighted,
)
from parks.sample import INDUSTRIES
from projects.choices import STAGE_ORDER, InvestorOrigin, Stage
from projects.models import FundArrival, Project, ProjectUpdate, StageChange

PROJECT_KINDS = ["生产基地", "产业园", "研发中心", "扩建工程", "智能制造项目", "生产线", "总部基地"]
FUND_SOURCES = ["自有资金", "银行贷款", "股权融资", "政府专项资金", "产业基金"]


def make(run: SampleRun) -> None:
    """The projects, each with its stage log, then their fund arrivals and progress notes."""
    rng = run.rng
    origins = [
        (InvestorOrigin.LOCAL, 20),
        (InvestorOrigin.IN_PROVINCE, 30),
        (InvestorOrigin.OTHER_PROVINCE, 40),
        (InvestorOrigin.HK_MACAO_TAIWAN, 6),
        (InvestorOrigin.FOREIGN, 4),
    ]
    projects, logs, stalled = [], [], []
    for _number in range(run.n["projects"]):
        cluster = rng.choice(run.clusters)
        brand = rng.choice(BRAND_CHARS) + rng.choice(BRAND_CHARS)
        industry = rng.choice(INDUSTRIES[cluster.code] if cluster.code in INDUSTRIES else ["产业"])
        investment = rng.lognormvariate(9.5, 1.3)
        log, stuck = stage_log(rng)
        projects.append(
            Project(
                name=f"{PREFIX}{rng.choice(REGIONS)}{brand}{industry}{rng.choice(PROJECT_KINDS)}",
                investor=f"{PREFIX}{brand}{industry}集团有限公司",
                investor_origin=weighted(rng, origins),
                enterprise_id=rng.choice(run.enterprises).pk if rng.random() < 0.3 else None,
                cluster=cluster,
                park=rng.choice(run.parks),
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
                liaison_id=rng.choice(run.staff) if rng.random() > 0.2 else None,
                source=SOURCE,
                is_sample=True,
            )
        )
        logs.append(log)
        stalled.append(stuck)
    projects = run.save(Project, projects)
    changes = []
    for project, log in zip(projects, logs, strict=True):
        for stage, on, note in log:
            changes.append(StageChange(project_id=project.pk, stage=stage, on=on, note=note))
    run.save(StageChange, changes)
    make_fund_arrivals(run, projects, logs)
    make_updates(run, projects, logs, stalled)


def make_updates(run: SampleRun, projects: list[Project], logs: list, stalled: list[bool]) -> None:
    """About two progress notes per project, dated after its first talks (a stalled project's no later than its last
    move); a few ask for help."""
    rng = run.rng
    objects = []
    for project, log, stuck in zip(projects, logs, stalled, strict=True):
        last = log[-1][1] if stuck else min(LAST_DAY, log[-1][1] + datetime.timedelta(days=180))
        for _number in range(rng.choice((0, 1, 2, 2, 3, 4))):
            problem = rng.random() < 0.15
            objects.append(
                ProjectUpdate(
                    project_id=project.pk,
                    on=day_between(rng, log[0][1], last),
                    text=f"{PREFIX}：" + ("需协调解决用地和审批问题。" if problem else "项目按计划推进。"),
                    is_problem=problem,
                    author_id=rng.choice(run.staff),
                )
            )
    run.save(ProjectUpdate, objects)


# Days from entering each stage to the next move: log-normal (most projects move within a year or two, a few take
# many), as (median days, sigma); then the odds of moving on and of being dropped there; the rest stall in the
# stage. Tuned so that a project has about 2.6 moves (scale 10: about 52,000), some 13 % are dropped and a quarter
# stall.
STEPS = {
    Stage.NEGOTIATING: (360, 0.9, 0.68, 0.12),
    Stage.SIGNED: (360, 0.8, 0.88, 0.04),
    Stage.CONSTRUCTION: (720, 0.5, 0.90, 0.02),
    Stage.PRODUCTION: (540, 0.6, 0.90, 0.01),
}
DROP_REASONS = ["投资方调整计划", "用地未落实", "资金链紧张", "市场变化，暂缓投资"]


def stage_log(rng: random.Random) -> tuple[list[tuple[str, datetime.date, str]], bool]:
    """A project's moves, dated forward, and whether it stalled: first talks, then at each stage a log-normal wait
    before it moves on, is dropped, or stays where it is (stalled: no later moves nor progress notes). A move that
    would fall after the data's last day has not happened yet."""
    on = day_between(rng, FIRST_DAY, LAST_DAY)
    log = [(Stage.NEGOTIATING, on, "")]
    for stage in STAGE_ORDER[:-1]:
        median, sigma, advance, drop = STEPS[stage]
        step = on + datetime.timedelta(days=max(7, round(rng.lognormvariate(math.log(median), sigma))))
        outcome = rng.random()
        if step > LAST_DAY:
            return log, False
        if outcome < drop:
            log.append((Stage.DROPPED, step, f"{PREFIX}：{rng.choice(DROP_REASONS)}"))
            return log, False
        if outcome >= drop + advance:
            return log, True
        on = step
        log.append((STAGE_ORDER[STAGE_ORDER.index(stage) + 1], on, ""))
    return log, False


def make_fund_arrivals(run: SampleRun, projects: list[Project], logs: list) -> None:
    rng = run.rng
    signed = []
    for project, log in zip(projects, logs, strict=True):
        signed_on = next((on for stage, on, _note in log if stage == Stage.SIGNED), None)
        if signed_on is not None:
            signed.append((project, signed_on))
    if not signed:
        signed = [(project, log[0][1]) for project, log in zip(projects, logs, strict=True)]
    objects = []
    for _number in range(run.n["fund_arrivals"]):
        project, since = rng.choice(signed)
        objects.append(
            FundArrival(
                project_id=project.pk,
                arrived_on=day_between(rng, since, min(LAST_DAY, since + datetime.timedelta(days=1500))),
                # About nine arrivals a signed project: most get part of their contract investment, a few all of it.
                amount=money(float(project.contract_investment) * rng.uniform(0.01, 0.12)),
                source=rng.choice(FUND_SOURCES),
                note=SOURCE,
                is_sample=True,
            )
        )
    run.save(FundArrival, objects)


def foreign_records() -> list[str]:
    """The kinds of record here that are not sample data."""
    found = [
        str(model._meta.verbose_name_plural)
        for model in (Project, FundArrival)
        if model._default_manager.filter(is_sample=False).exists()
    ]
    if ProjectUpdate.objects.exclude(text__startswith=PREFIX).exists():
        found.append(str(ProjectUpdate._meta.verbose_name_plural))
    return found


def has_sample_data() -> bool:
    return Project.objects.filter(is_sample=True).exists()


def wipe() -> None:
    """Delete every record of the app."""
    delete_all([StageChange, FundArrival, ProjectUpdate, Project])
