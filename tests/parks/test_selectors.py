"""The park tree's reads every app filters by: a park's subtree, the records of a park, the park filter, the
clusters."""

import django_filters
import pytest
from django.db.models import QuerySet

from parkadmin.memo import memo_scope
from parks.filtersets import ParkTreeFilter
from parks.models import IndustryCluster, Park
from parks.selectors import clusters, in_park, park_scope, park_with_descendants

pytestmark = pytest.mark.django_db


@pytest.fixture
def zone():
    """zone → core → eit; zone → agri."""
    root = Park.objects.create(code="zone", name="高新区", kind="zone")
    core = Park.objects.create(code="core", name="核心区", kind="core", parent=root)
    eit = Park.objects.create(code="eit", name="电子园", kind="specialised", parent=core)
    agri = Park.objects.create(code="agri", name="农科园", kind="sub_park", parent=root)
    return {"root": root, "core": core, "eit": eit, "agri": agri}


def codes(queryset: QuerySet) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def test_a_park_with_its_descendants_holds_every_level_below_it(zone):
    assert park_with_descendants(zone["core"]) == sorted([zone["core"].pk, zone["eit"].pk])
    assert park_with_descendants(zone["eit"]) == [zone["eit"].pk]
    assert park_with_descendants(zone["root"]) == sorted(park.pk for park in zone.values())


def test_in_park_keeps_a_park_and_its_sub_parks_and_the_only_zone_keeps_everything(zone):
    outside = Park.objects.create(code="unplaced", name="未归属", kind="sub_park")  # a second root
    every_park = Park.objects.all()
    assert codes(in_park(every_park, zone["core"], path="pk")) == {"core", "eit"}
    assert codes(in_park(every_park, None, path="pk")) == {"zone", "core", "eit", "agri", "unplaced"}
    # With two roots, a zone keeps its own tree only.
    assert codes(in_park(every_park, Park.objects.get(code="zone"), path="pk")) == {"zone", "core", "eit", "agri"}
    outside.delete()
    # The only root is the whole zone: records not placed in a sub-park still belong to it.
    assert park_scope(Park.objects.get(code="zone")) is None


def test_the_park_scope_is_worked_out_once_per_park_object(zone, django_assert_num_queries):
    core = Park.objects.get(code="core")
    with django_assert_num_queries(1):  # it has a parent, so no question of roots: only the tree is read, once
        first = park_scope(core)
        assert park_scope(core) == first == sorted([zone["core"].pk, zone["eit"].pk])


class ParkFilterSet(django_filters.FilterSet):
    park = ParkTreeFilter(path="pk")

    class Meta:
        model = Park
        fields = ["park"]


def test_the_park_filter_takes_a_code_and_includes_the_sub_parks(zone):
    assert codes(ParkFilterSet({"park": "core"}, queryset=Park.objects.all()).qs) == {"core", "eit"}
    assert codes(ParkFilterSet({}, queryset=Park.objects.all()).qs) == {"zone", "core", "eit", "agri"}
    unknown = ParkFilterSet({"park": "nowhere"}, queryset=Park.objects.all())
    assert not unknown.is_valid() and "park" in unknown.errors


def test_clusters_are_read_once_per_request_in_code_order(django_assert_num_queries):
    IndustryCluster.objects.create(code="NEM", name="新能源新材料")
    IndustryCluster.objects.create(code="EIT", name="电子信息")
    with memo_scope(), django_assert_num_queries(1):
        assert [c.code for c in clusters()] == ["EIT", "NEM"]
        assert [c.code for c in clusters()] == ["EIT", "NEM"]
