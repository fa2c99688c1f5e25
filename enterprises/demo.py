"""Demo parks and industry clusters: the zone's 一核两园 and 两主一辅一特 as the article names them."""

from __future__ import annotations

from enterprises.choices import Level, ParkKind
from enterprises.models import Enterprise, Incubator, IndustryCluster, Park
from parkadmin.demo import upsert

# The contract's park codes, in the article's order; parents come before children.
PARK_CODES = {
    "高新区本部(核心区)": ("core", ParkKind.CORE, "huaihua"),
    "农业科技园": ("agri", ParkKind.SUB_PARK, "huaihua"),
    "医药健康产业园": ("pharma", ParkKind.SUB_PARK, "huaihua"),
    "电子信息产业园": ("eit-park", ParkKind.SPECIALISED, "core"),
    "五夷芯视界": ("wuyi", ParkKind.SPECIALISED, "core"),
    "新材料产业园": ("materials", ParkKind.SPECIALISED, "core"),
}
CLUSTER_COLORS = {"NEM": "#1f77b4", "EIT": "#ff7f0e", "AGR": "#2ca02c", "BIO": "#d62728"}


def load(facts: dict, source: str) -> dict:
    zone = facts["zone"]
    parks = {
        "huaihua": upsert(
            Park,
            {"code": "huaihua"},
            {
                "name": zone["short_zh"],
                "name_en": zone["name_en"],
                "kind": ParkKind.ZONE,
                "parent": None,
                "description": f"{zone['name_zh']}。{zone['vision_zh']}。",
                "source": source,
            },
        )
    }
    for item in facts["parks"]["items"]:
        code, kind, parent = PARK_CODES[item["name_zh"]]
        parks[code] = upsert(
            Park,
            {"code": code},
            {
                "name": item["name_zh"],
                "name_en": item["name_en"],
                "kind": kind,
                "parent": parks[parent],
                "description": item.get("note", ""),
                "source": source,
            },
        )
    clusters = []
    for item in facts["industry_clusters"]["items"]:
        clusters.append(
            upsert(
                IndustryCluster,
                {"code": item["code"]},
                {
                    "name": item["name_zh"],
                    "name_en": item["name_en"],
                    "role": item["role"],
                    "color": CLUSTER_COLORS[item["code"]],
                    "source": source,
                },
            )
        )
    enterprises = load_enterprises(facts, source, parks)
    # The article names the zone's national-level incubator as a key project; its occupants it gives only as
    # counts (69 incubating, 34 graduated), which stay reported statistics rather than invented records.
    upsert(
        Incubator, {"name": "国家级科技企业孵化器"}, {"level": Level.NATIONAL, "park": parks["core"], "source": source}
    )
    return {"parks": len(parks), "clusters": len(clusters), "enterprises": len(enterprises), "incubators": 1}


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
