"""Demo projects: the two the article describes, with its dates and figures.

What the article implies rather than states is read as follows, and each project's notes say so: the investor's
origin from the investor's name (a 怀化 company is local, a 福建 one from another province); the park from where the
article places the project (the cloud headquarters in the 高新区创服大楼, the core zone) or from its industry (the
feed mill in the agricultural science park); "2021年一季度" as the quarter's last day."""

from __future__ import annotations

import datetime

from enterprises.models import Enterprise
from parkadmin.upsert import upsert
from parks.models import IndustryCluster, Park
from projects import demo_sample
from projects.choices import InvestorOrigin, Stage
from projects.models import Project
from projects.services import project_create


def load(facts: dict, source: str) -> dict:
    by_name = {p["name_zh"]: p for p in facts["investment_projects"]}
    cloud = by_name["鸿蒙蝴蝶云总部经济怀化基地项目"]
    feed = by_name["年产18万吨乳猪奶粉及高端生物饲料生产线项目"]
    clusters = {c.code: c for c in IndustryCluster.objects.all()}
    parks = {p.code: p for p in Park.objects.all()}
    projects = [
        _project(
            cloud["name_zh"],
            stage=Stage.PRODUCTION,
            on=datetime.date.fromisoformat(cloud["operating_since"]),
            stage_note="2020年3月24日在高新区创服大楼开业运营。",
            values={
                "investor": cloud["investor_zh"],
                "investor_origin": InvestorOrigin.LOCAL,
                "enterprise": Enterprise.objects.filter(name=cloud["investor_zh"]).first(),
                "cluster": clusters[cloud["cluster"]],
                "park": parks["core"],
                "expected_annual_output": cloud["expected_annual_output_wan_yuan"],
                "expected_annual_tax": cloud["expected_annual_tax_wan_yuan"],
                "notes": "鸿蒙云系统：村村通、万企上云、金卡人云、尊者祥云。"
                "（投资方为本地企业、所在园区为核心区，系据文章所述推定。）",
                "source": source,
            },
        ),
        _project(
            feed["name_zh"],
            stage=Stage.CONSTRUCTION,
            on=datetime.date.fromisoformat(feed["construction_start"]),
            stage_note="2020年3月28日开工。",
            values={
                "investor": feed["investor_zh"],
                "investor_origin": InvestorOrigin.OTHER_PROVINCE,
                "cluster": clusters[feed["cluster"]],
                "park": parks["agri"],
                "contract_investment": feed["investment_wan_yuan"],
                "expected_completion": end_of_quarter(feed["expected_completion"]),
                "expected_annual_sales": feed["expected_annual_sales_wan_yuan"],
                "expected_annual_profit_tax": feed["expected_annual_profit_and_tax_wan_yuan"],
                "notes": "预计2021年一季度竣工投产（竣工日期按季末记）；达产后年销售收入6亿元，利税4000万元以上。"
                "（投资方为省外企业、所在园区为农业科技园，系据文章所述推定。）",
                "source": source,
            },
        ),
    ]
    return {"projects": len(projects), **demo_sample.load()}


def end_of_quarter(text: str) -> datetime.date:
    """'2021-Q1' → 2021-03-31: a date for a quarter the article names."""
    year, quarter = text.split("-Q")
    month = int(quarter) * 3
    first_of_next = datetime.date(int(year) + month // 12, month % 12 + 1, 1)
    return first_of_next - datetime.timedelta(days=1)


def _project(name: str, *, stage: str, on: datetime.date, stage_note: str, values: dict) -> Project:
    """Create the project with its stage log, or bring an existing one's fields up to date."""
    existing = Project.objects.filter(name=name).first()
    if existing is None:
        return project_create(project=Project(name=name, **values), stage=stage, on=on, note=stage_note)
    return upsert(Project, {"pk": existing.pk}, values)
