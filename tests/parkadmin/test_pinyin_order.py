"""Chinese names sort in pinyin order, as people look them up, on PostgreSQL (ICU) and SQLite (pypinyin) alike."""

import re

import pytest

from enterprises.models import Enterprise
from parkadmin.collation import pinyin_key
from tests.factories import EnterpriseFactory

NAMES = ["中方科技", "阿里湾农业", "张家界食品", "北斗导航", "Alpha 电子", "怀化医药"]
PINYIN_ORDER = ["阿里湾农业", "北斗导航", "怀化医药", "张家界食品", "中方科技", "Alpha 电子"]  # Latin after Han, as ICU


def test_the_key_spells_pinyin():
    assert pinyin_key("怀化")[0] == ((1, "huai"), (1, "hua"))
    assert pinyin_key("1号")[0] < pinyin_key("阿")[0] < pinyin_key("a")[0]
    assert sorted(NAMES, key=pinyin_key) == PINYIN_ORDER


@pytest.mark.django_db
def test_records_and_lists_sort_names_in_pinyin_order(admin_client):
    for name in NAMES:
        EnterpriseFactory(name=name)
    assert list(Enterprise.objects.values_list("name", flat=True)) == PINYIN_ORDER  # the model's own order

    def listed(sort: str) -> list[str]:
        html = admin_client.get("/enterprises/", {"sort": sort}).content.decode()
        return [name for name in re.findall(r">([^<>]+)</a>", html) if name in NAMES]

    assert listed("name") == PINYIN_ORDER
    assert listed("-name") == PINYIN_ORDER[::-1]
