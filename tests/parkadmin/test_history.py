"""History: each record's panel and the recent-changes page say who changed what, when."""

import datetime
import re

import pytest
from django.utils import timezone

from enterprises.models import Enterprise, EnterpriseYear
from parkadmin.history import history_entries, object_history, recent_changes
from parkadmin.locking import save_versioned
from parks.models import IndustryCluster, Park
from tests.factories import EnterpriseFactory, EnterpriseYearFactory, ParkFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_object_history_lists_changes_newest_first_with_labels_and_related_names():
    zone = ParkFactory(code="zone", name="高新区")
    park = ParkFactory(code="p", name="旧名")
    park.name, park.parent = "新名", zone
    save_versioned(park, expected_version=1)
    entries = object_history(park)
    assert [e.change_type for e in entries] == ["~", "+"]
    changes = {c.field: (c.old, c.new) for c in entries[0].changes}
    assert changes == {"name": ("旧名", "新名"), "parent": ("—", "高新区")}


def test_recent_changes_filter_by_user_and_model(client):
    author = UserFactory(username="author")
    client.force_login(author)
    ParkFactory(code="untracked-author")
    entries = recent_changes(user_id=author.pk)
    assert entries == []
    from tests.harness import make_user

    admin = make_user("administrator")
    client.force_login(admin)
    client.post("/enterprises/parks/add/", {"code": "by-admin", "name": "管理员建", "kind": "sub_park"})
    mine = recent_changes(user_id=admin.pk)
    assert [e.object_label for e in mine] == ["管理员建"]
    assert mine[0].user == admin


def test_history_page_filters_by_record_type(admin_client):
    from tests.factories import IndustryClusterFactory

    ParkFactory(name="某园区")
    IndustryClusterFactory(name="某集群")
    html = admin_client.get("/history/", {"model": "parks.industrycluster"}).content.decode()
    assert "某集群" in html and "某园区" not in html


def test_history_page_with_bad_filters_still_answers(admin_client):
    response = admin_client.get("/history/", {"since": "not-a-date", "user": "999999", "model": "auth.user"})
    assert response.status_code == 200
    assert response.context["form"].errors


def changed_figures(count: int) -> None:
    """`count` yearly figures, each moved to another enterprise once (a change naming two related records)."""
    for number in range(count):
        figures = EnterpriseYearFactory(year=2000 + number)
        figures.enterprise = EnterpriseFactory()
        save_versioned(figures, expected_version=1)


@pytest.mark.parametrize("count", [2, 12])
def test_history_reads_the_records_it_names_with_the_entries(django_assert_num_queries, count):
    changed_figures(count)
    with django_assert_num_queries(2):  # the entries and their predecessors, each with the records they name
        entries = history_entries(EnterpriseYear.history.all())
    moved = [entry for entry in entries if entry.change_type == "~"]
    assert len(moved) == count
    assert all(change.old != change.new and change.new != "—" for entry in moved for change in entry.changes)


def test_a_record_named_in_history_and_since_deleted_keeps_its_label_or_key():
    changed_figures(1)
    figures = EnterpriseYear.objects.get()
    first = EnterpriseYear.history.earliest("history_id").enterprise_id
    Enterprise.objects.filter(pk=first).delete()  # the original enterprise, and with it nothing current
    entries = history_entries(EnterpriseYear.history.filter(id=figures.pk))
    change = next(c for e in entries for c in e.changes if c.field == "enterprise")
    assert change.old == first and change.new == str(figures.enterprise)


HISTORY_ROW = re.compile(r'<td class="text-nowrap">')


def shown(response) -> int:
    """How many changes the page lists."""
    assert response.status_code == 200
    return len(HISTORY_ROW.findall(response.content.decode()))


def total(client, **filters) -> int:
    return client.get("/history/", filters).context["page_obj"].paginator.count


def test_the_history_page_shows_every_change_a_page_at_a_time_with_the_total(admin_client):
    from tests.factories import IndustryClusterFactory

    assert total(admin_client) < 20  # what the migrations recorded: the page's last few rows
    Park.history.all().delete()
    IndustryCluster.history.all().delete()
    before = total(admin_client)
    for number in range(70):
        ParkFactory(code=f"p{number}", name=f"园区{number}")
        IndustryClusterFactory(code=f"C{number}", name=f"集群{number}")
    first = admin_client.get("/history/")
    assert shown(first) == 50 and f"共 {140 + before} 条变更" in first.content.decode()
    last = admin_client.get("/history/", {"page": 2, "per_page": 100})
    assert shown(last) == 40 + before  # beyond the 100 the page used to stop at
    labels = [entry.object_label for entry in last.context["entries"]]
    assert {"园区0", "集群0"} <= set(labels)  # the oldest changes are reachable
    everything = admin_client.get("/history/", {"per_page": 200}).context["entries"]
    assert len(everything) == 140 + before
    when = [entry.when for entry in everything]
    assert when == sorted(when, reverse=True)  # newest first across record types
    for page in ("0", "abc", "999", "-1"):  # a bad page falls back, as on every list page
        assert shown(admin_client.get("/history/", {"page": page})) in (50, (140 + before) % 50)
    assert shown(admin_client.get("/history/", {"per_page": "7"})) == 50


def test_the_history_page_counts_only_what_its_filters_keep(admin_client):
    from tests.factories import IndustryClusterFactory

    before = total(admin_client)
    for number in range(3):
        ParkFactory(code=f"q{number}")
    for number in range(60):
        IndustryClusterFactory(code=f"D{number}")
    clusters = admin_client.get("/history/", {"model": "parks.industrycluster", "page": 2})
    assert shown(clusters) == 10 and "共 60 条变更" in clusters.content.decode()
    assert all(entry.model_label == str(IndustryCluster._meta.verbose_name) for entry in clusters.context["entries"])
    nobody = UserFactory()
    by_nobody = admin_client.get("/history/", {"user": nobody.pk})
    assert shown(by_nobody) == 0 and "共 0 条变更" in by_nobody.content.decode()
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert "共 0 条变更" in admin_client.get("/history/", {"since": tomorrow}).content.decode()
    assert total(admin_client, until=tomorrow) == 63 + before


def test_a_history_page_costs_the_same_queries_whatever_the_number_of_changes(client):
    from tests.factories import IndustryClusterFactory
    from tests.harness import count_queries, make_user

    client.force_login(make_user("administrator"))
    for number in range(60):
        ParkFactory(code=f"r{number}")
    fewer = count_queries(client, "/history/?page=1")
    for number in range(120):
        IndustryClusterFactory(code=f"E{number}")
        ParkFactory(code=f"s{number}")
    mixed = count_queries(client, "/history/?page=2")
    assert mixed <= fewer + 2  # a second record type on the page: its entries and their predecessors
    assert count_queries(client, "/history/?page=4") == mixed
