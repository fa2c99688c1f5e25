"""Demo parks and industry clusters: the zone's 一核两园 and 两主一辅一特 as the article names them."""

from __future__ import annotations

from parkadmin.upsert import upsert
from parks.choices import ParkKind
from parks.models import IndustryCluster, Park

# The contract's park codes, in the article's order; parents come before children.
PARK_CODES = {
    "高新区本部(核心区)": ("core", ParkKind.CORE, "huaihua"),
    "农业科技园": ("agri", ParkKind.SUB_PARK, "huaihua"),
    "医药健康产业园": ("pharma", ParkKind.SUB_PARK, "huaihua"),
    "电子信息产业园": ("eit-park", ParkKind.SPECIALISED, "core"),
    "五夷芯视界": ("wuyi", ParkKind.SPECIALISED, "core"),
    "新材料产业园": ("materials", ParkKind.SPECIALISED, "core"),
}
# What the article says of a park, in its own words (the facts file notes it in English).
DESCRIPTIONS = {
    "农业科技园": "实施“以两头带中间”：南端以农产品加工为主，北端发展农业休闲与旅游，中间区域适度开发商业地产，"
    "弥补农业产业开发资金缺口。",
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
                "description": DESCRIPTIONS.get(item["name_zh"], ""),
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
    return {"parks": len(parks), "clusters": len(clusters)}
