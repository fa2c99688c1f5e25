"""Demo enterprises and the zone's incubator, placed in the parks and clusters the article names."""

from __future__ import annotations

from enterprises import demo_sample
from enterprises.choices import Level
from enterprises.models import Enterprise, Incubator
from parkadmin.upsert import upsert
from parks.models import IndustryCluster, Park


def load(facts: dict, source: str) -> dict:
    parks = {p.code: p for p in Park.objects.all()}
    enterprises = load_enterprises(facts, source, parks)
    # The article names the zone's national-level incubator as a key project; its occupants it gives only as
    # counts (69 incubating, 34 graduated): the sample records (demo_sample) reproduce them.
    incubator = upsert(
        Incubator, {"name": "国家级科技企业孵化器"}, {"level": Level.NATIONAL, "park": parks["core"], "source": source}
    )
    return {"enterprises": len(enterprises), "incubators": 1, **demo_sample.load(parks=parks, incubator=incubator)}


# Where the article places an enterprise: the leaders of a specialised park are in it; the rest by cluster.
PARK_OF_LEADER = {"金升阳": "eit-park", "合利来": "eit-park", "骏泰科技": "materials"}
PARK_OF_CLUSTER = {"NEM": "core", "EIT": "core", "AGR": "agri", "BIO": "pharma"}
# What the article says of an enterprise, in its own words (the facts file glosses them in English).
ARTICLE_NOTES = {
    "骏泰科技": "新材料产业园龙头企业。",
    "正清制药": "正在推进上市。",
    "天骑科技": "文中亦作“天骑医药”。",
    "金升阳": "电子信息产业园龙头企业。",
    "合利来": "电子信息产业园龙头企业。",
    "怀化鸿蒙云网络科技有限公司": "2020年3月24日在高新区创服大楼开业运营（鸿蒙蝴蝶云总部经济怀化基地项目）。",
}
# The article names 傲农 as an investor that has no local enterprise yet; its project is in the projects app.
NOT_YET_LOCAL = {"福建傲农生物科技集团股份有限公司"}


def load_enterprises(facts: dict, source: str, parks: dict) -> list:
    clusters = {c.code: c for c in IndustryCluster.objects.all()}
    loaded = []
    for item in facts["enterprises_named"]:
        if item["name_zh"] in NOT_YET_LOCAL:
            continue
        park = PARK_OF_LEADER.get(item["name_zh"], PARK_OF_CLUSTER[item["cluster"]])
        notes = ARTICLE_NOTES.get(item["name_zh"], "")
        loaded.append(
            upsert(
                Enterprise,
                {"name": item["name_zh"]},
                {"cluster": clusters[item["cluster"]], "park": parks[park], "notes": notes, "source": source},
            )
        )
    return loaded
