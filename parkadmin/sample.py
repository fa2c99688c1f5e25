"""What every app's `sample.py` shares to make the benchmark's synthetic zone (`generate_sample_data`).

One `SampleRun` goes through the apps in order (parks, enterprises, projects, indicators) and carries the one
random generator they all draw from, so the same scale and seed give the same data: an app that draws in another
order, or from a generator of its own, changes every later app's records too (raise `DATA_VERSION` in
`demo.sample` when that is meant).
"""

from __future__ import annotations

import datetime
import random
import time
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.utils.translation import gettext_lazy as _

SOURCE = "示例数据（generate_sample_data）"
# The demo's own sample records (load_demo): invented to agree with the reference article's figures, never read
# as the article's; enterprises, incubations, projects and fund arrivals carry is_sample as well.
DEMO_SOURCE = "示例数据（load_demo，按参考文章的数字生成）"
# The notes the demo's values carry (indicators.demo_sample).
RECORDS_NOTE = "示例数据：按演示台账记录统计，非参考文章数字。"
INVENTED_NOTE = "示例数据：演示用，非参考文章数字。"
EXPLANATION = "演示用示例数据。"
# The sample markers are stored in Chinese, as a zone's own sources are; they are ours, so they are shown in the
# interface's language (in_language).
MARKERS = {
    SOURCE: _("Sample data (generate_sample_data)"),
    DEMO_SOURCE: _("Sample data (load_demo, made to match the reference article's figures)"),
    RECORDS_NOTE: _("Sample data: counted from the demo's records, not a figure of the reference article."),
    INVENTED_NOTE: _("Sample data: invented for the demo, not a figure of the reference article."),
    EXPLANATION: _("Sample data for the demo."),
}
PREFIX = "示例"
END_YEAR = 2024  # fixed, so that a seed always gives the same data whatever the day it runs
FIRST_DAY = datetime.date(2015, 1, 1)
LAST_DAY = datetime.date(END_YEAR, 12, 31)
BATCH = 2000

REGIONS = "怀化 鹤城 中方 洪江 沅陵 辰溪 溆浦 会同 麻阳 新晃 芷江 靖州 通道 五溪 武陵 雪峰 舞水 沅水 潕阳 黔阳".split()
BRAND_CHARS = "华兴盛达鑫源瑞丰恒通宏图金泰博远卓越创立隆昌嘉禾正阳天成永康佳和祥宇润泽海川明德致信安云帆星辰凯旋汇聚"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌辉鹏宇"


def in_language(text: str) -> str:
    """A source or note as shown: a sample marker in the interface's language, anything else as written."""
    marker = MARKERS.get(text)
    return str(marker) if marker is not None else text


@dataclass
class SampleRun:
    """One run of the generator: its counts, its random generator, and what earlier apps made for later ones."""

    scale: float
    seed: int
    n: dict[str, int]  # how many of each record (`demo.sample.counts`)
    facts: dict  # the demo's facts: the sample zone has the demo's parks, clusters and indicators
    marker: str  # written into the first sample indicator, so a later run knows what is there
    out: object = None
    rng: random.Random = field(init=False)
    made: dict[str, int] = field(default_factory=dict)
    staff: list[int] = field(default_factory=list)  # user ids
    parks: list = field(default_factory=list)  # the parks below the zone, by code
    clusters: list = field(default_factory=list)
    enterprises: list = field(default_factory=list)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

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


def money(value: float) -> Decimal:
    return Decimal(f"{max(value, 0.01):.2f}")


def day_between(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    if end <= start:
        return start
    return start + datetime.timedelta(days=rng.randrange((end - start).days + 1))


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))


def weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights)[0]


def delete_all(models) -> None:
    """Raw deletes of every row of these tables and of their history tables: no signals, no history."""
    with connection.cursor() as cursor:
        for model in models:
            for table in (model._meta.db_table, getattr(model, "history", None) and model.history.model._meta.db_table):
                if table:
                    cursor.execute(f"DELETE FROM {connection.ops.quote_name(table)}")
