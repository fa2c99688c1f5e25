"""load_demo: the article's parks and clusters, idempotent, accounts only when asked."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from demo import ARTICLE_SOURCE
from parks.models import IndustryCluster, Park

pytestmark = pytest.mark.django_db


def test_demo_loads_the_contract_codes_with_their_source():
    call_command("load_demo")
    assert set(Park.objects.values_list("code", flat=True)) == {
        "huaihua",
        "core",
        "agri",
        "pharma",
        "eit-park",
        "wuyi",
        "materials",
    }
    assert set(IndustryCluster.objects.values_list("code", flat=True)) == {"NEM", "EIT", "AGR", "BIO"}
    assert Park.objects.get(code="wuyi").parent.code == "core"
    assert Park.objects.get(code="huaihua").parent is None
    assert not Park.objects.exclude(source=ARTICLE_SOURCE).exists()


def test_demo_is_idempotent_and_adds_no_history_when_nothing_changed():
    call_command("load_demo")
    history_rows = Park.history.count()
    call_command("load_demo")
    assert Park.objects.count() == 7
    assert Park.history.count() == history_rows


def test_demo_accounts_only_when_asked(settings):
    settings.DEBUG = False
    call_command("load_demo")
    assert not get_user_model().objects.filter(username__startswith="demo-").exists()
    call_command("load_demo", "--with-accounts")
    admin = get_user_model().objects.get(username="demo-admin")
    assert admin.is_superuser and admin.check_password("parkadmin-demo")
    official = get_user_model().objects.get(username="demo-official")
    assert official.has_perm("parks.view_park") and not official.has_perm("parks.change_park")
    staff = get_user_model().objects.get(username="demo-staff")
    assert staff.groups.count() == 3


def test_demo_projects_take_the_articles_figures_and_say_what_was_read_into_them():
    import datetime

    from projects.models import Project

    call_command("load_demo")
    feed = Project.objects.get(name="年产18万吨乳猪奶粉及高端生物饲料生产线项目")
    assert (feed.contract_investment, feed.expected_completion) == (12000, datetime.date(2021, 3, 31))
    assert feed.source == ARTICLE_SOURCE
    for project in Project.objects.filter(is_sample=False):
        assert "据文章所述推定" in project.notes, project.name
    assert Project.objects.filter(is_sample=False).count() == 2
