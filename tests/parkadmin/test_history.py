"""History: each record's panel and the recent-changes page say who changed what, when."""

import pytest

from enterprises.models import Enterprise, EnterpriseYear
from parkadmin.history import history_entries, object_history, recent_changes
from parkadmin.locking import save_versioned
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
