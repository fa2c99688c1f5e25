"""The parks and industry clusters of the benchmark's synthetic zone: the demo's, and more parks as the scale grows."""

from __future__ import annotations

from django.db import connection

from parkadmin.sample import PREFIX, REGIONS, SOURCE, SampleRun
from parks.choices import ParkKind
from parks.demo import CLUSTER_COLORS, PARK_CODES
from parks.models import IndustryCluster, Park

# What the names of a cluster's enterprises and projects are made of.
INDUSTRIES = {
    "NEM": ["新材料", "新能源", "锂电", "光伏", "储能", "复合材料", "碳材料", "新型建材"],
    "EIT": ["电子", "信息技术", "智能科技", "软件", "半导体", "光电", "通信", "数码"],
    "AGR": ["农业", "食品", "茶业", "生态农业", "粮油", "果业", "油茶", "米业"],
    "BIO": ["生物医药", "制药", "医疗器械", "健康产业", "中药材", "生物科技", "药业", "康养"],
}
ALL_INDUSTRIES = [name for names in INDUSTRIES.values() for name in names]


def demo_parks(facts: dict) -> dict[str, tuple[str, str, str | None]]:
    """The demo's parks as load_demo names them (code → name, kind, parent), parents first."""
    zone = {"huaihua": (facts["zone"]["short_zh"], ParkKind.ZONE, None)}
    return zone | {code: (name, kind, parent) for name, (code, kind, parent) in PARK_CODES.items()}


def demo_clusters(facts: dict) -> dict[str, tuple[str, str, str]]:
    """The demo's industry clusters as load_demo names them (code → name, role, colour)."""
    items = facts["industry_clusters"]["items"]
    return {item["code"]: (item["name_zh"], item["role"], CLUSTER_COLORS[item["code"]]) for item in items}


def make(run: SampleRun) -> None:
    """The demo's parks and clusters (those missing), and sample parks up to the scale's count; sets `run.parks`
    (the parks below the zone, where records go) and `run.clusters`."""
    run.parks = make_parks(run)
    run.clusters = make_clusters(run)


def make_parks(run: SampleRun) -> list[Park]:
    existing = {park.code: park for park in Park.objects.all()}
    parks = dict(existing)
    demo = demo_parks(run.facts)
    for code, (name, kind, parent) in demo.items():
        if code not in parks:
            parks[code] = Park.objects.create(code=code, name=name, kind=kind, parent=parks.get(parent), source=SOURCE)
    extra = []
    for number in range(1, run.n["parks"] - len(demo) + 1):
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
        run.save(Park, extra)
    # Records go into the zone's parks below the zone itself (a few stay at the zone's level).
    return list(Park.objects.filter(parent__isnull=False).order_by("code"))


def make_clusters(run: SampleRun) -> list[IndustryCluster]:
    clusters = []
    for code, (name, role, color) in demo_clusters(run.facts).items():
        cluster = IndustryCluster.objects.filter(code=code).first()
        if cluster is None:
            cluster = IndustryCluster.objects.create(code=code, name=name, role=role, color=color, source=SOURCE)
        clusters.append(cluster)
    return clusters


def foreign_records() -> list[str]:
    """The kinds of record here that are not sample data."""
    return [
        str(model._meta.verbose_name_plural)
        for model in (Park, IndustryCluster)
        if model._default_manager.exclude(source=SOURCE).exists()
    ]


def wipe() -> None:
    """Delete every park and cluster, and their history (after every record that points at them)."""
    with connection.cursor() as cursor:
        for model in (Park, IndustryCluster):
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model.history.model._meta.db_table)}")
    # Parks point at their parents: children first.
    while Park.objects.exists():
        Park.objects.filter(children__isnull=True)._raw_delete(connection.alias)
    IndustryCluster.objects.all()._raw_delete(connection.alias)
