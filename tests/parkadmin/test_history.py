"""History: each record's panel and the recent-changes page say who changed what, when."""

import pytest

from parkadmin.history import object_history, recent_changes
from parkadmin.locking import save_versioned
from tests.factories import ParkFactory, UserFactory

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
    html = admin_client.get("/history/", {"model": "enterprises.industrycluster"}).content.decode()
    assert "某集群" in html and "某园区" not in html


def test_history_page_with_bad_filters_still_answers(admin_client):
    response = admin_client.get("/history/", {"since": "not-a-date", "user": "999999", "model": "auth.user"})
    assert response.status_code == 200
    assert response.context["form"].errors
