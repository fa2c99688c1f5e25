"""Every list exported to a file is recorded (who, which list, filters, rows, when); the export log only grows."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from parkadmin.models import ListExport
from reports.models import ReportExport
from tests.factories import EnterpriseFactory, UserFactory
from tests.harness import make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_list_export_is_recorded_with_its_user_filters_and_rows(client, file_format):
    EnterpriseFactory(name="甲科技", status="operating")
    EnterpriseFactory(name="乙科技", status="operating")
    EnterpriseFactory(name="丙科技", status="closed")
    user = make_user("official")
    client.force_login(user)
    answer = client.get("/enterprises/", {"status": "operating", "export": file_format})
    assert answer.status_code == 200
    entry = ListExport.objects.get()
    assert (entry.user, entry.path, entry.format, entry.rows) == (user, "/enterprises/", file_format, 2)
    assert entry.filters == "status=operating"
    assert client.get("/enterprises/", {"export": "pdf"}).status_code == 400  # a bad format: nothing recorded
    assert ListExport.objects.count() == 1


def test_the_scoreboards_export_is_recorded(admin_client):
    answer = admin_client.get("/projects/scoreboard/", {"export": "xlsx"})
    assert answer.status_code == 200
    assert ListExport.objects.get().path == "/projects/scoreboard/"


def test_the_export_log_is_append_only_for_everybody(client, admin_user):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    entry = ListExport.objects.create(user=admin_user, list_name="企业", path="/enterprises/", format="csv", rows=3)
    report = ReportExport.objects.create(year=2019, format="pdf", user=admin_user)
    for log in (ListExport, ReportExport):
        with pytest.raises(PermissionError):
            log.objects.all().delete()
    with pytest.raises(PermissionError):
        entry.delete()
    entry.rows = 0
    with pytest.raises(PermissionError):
        entry.save()
    # The admin, a superuser's too, shows the logs but offers no way to add, change or delete.
    for url in (f"/admin/parkadmin/listexport/{entry.pk}/delete/", f"/admin/reports/reportexport/{report.pk}/delete/"):
        assert client.post(url, {"post": "yes"}).status_code == 403
    assert client.get("/admin/parkadmin/listexport/").status_code == 200
    assert ListExport.objects.count() == ReportExport.objects.count() == 1


def test_staff_do_not_read_the_list_export_log(client):
    client.force_login(make_user("investment"))
    assert client.get("/admin/parkadmin/listexport/").status_code in (302, 403)


def test_retention_goes_through_the_command_alone(capsys):
    old = ListExport.objects.create(list_name="企业", path="/enterprises/", format="csv", rows=1)
    ListExport.objects.filter(pk=old.pk).update(created_at=timezone.now() - datetime.timedelta(days=400))
    ListExport.objects.create(list_name="企业", path="/enterprises/", format="csv", rows=1)
    cutoff = (timezone.localdate() - datetime.timedelta(days=365)).isoformat()
    call_command("prune_export_log", "--before", cutoff)
    assert ListExport.objects.count() == 1
    assert "Deleted 1 list export(s)" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("prune_export_log", "--before", "last year")
