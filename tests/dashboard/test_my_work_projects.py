"""My work's projects: the live projects whose liaison officer is the signed-in user, stalled first."""

import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone, translation

from projects.choices import Stage
from projects.models import ProjectUpdate
from projects.services import project_move_stage
from tests.factories import FundArrivalFactory, ProjectFactory, UserFactory
from tests.harness import count_queries, make_user

pytestmark = pytest.mark.django_db

STALLED = settings.PROJECT_STALLED_DAYS


def ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


def section(html: str) -> str | None:
    """The projects section of the page, or None when it is not there."""
    start = html.find('aria-labelledby="my-projects"')
    return None if start < 0 else html[start : html.index("</section>", start)]


def rows(part: str) -> list[tuple[str, bool, str, str]]:
    """(name, stalled badge shown, stage, days) of each row of the section's table, in page order."""
    found = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", part, re.S)[1:]:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        name = re.search(r"<a [^>]*>(.*?)</a>", cells[0]).group(1)
        text = [re.sub(r"<[^>]+>", "", cell).strip() for cell in cells]
        found.append((name, "pa-stalled" in cells[0], text[1], text[2]))
    return found


def header_count(part: str) -> int:
    return int(re.search(r'<h2[^>]*id="my-projects".*?<span class="badge[^"]*">(\d+)</span>', part, re.S).group(1))


def test_a_liaison_officer_sees_their_own_live_projects_stalled_first(client):
    me, colleague = make_user("investment"), make_user("official")
    long_quiet = ProjectFactory(name="久未推进", liaison=me, stage_on=ago(400))
    ProjectFactory(name="刚过期限", liaison=me, stage=Stage.SIGNED, stage_on=ago(STALLED + 1))
    ProjectFactory(name="恰在期限", liaison=me, stage_on=ago(STALLED))  # not yet stalled: the rule is "more than"
    moved = ProjectFactory(name="新近开工", liaison=me, stage=Stage.SIGNED, stage_on=ago(500))
    project_move_stage(project=moved, stage=Stage.CONSTRUCTION, on=ago(20))
    funded = ProjectFactory(name="资金到位", liaison=me, stage_on=ago(500))
    FundArrivalFactory(project=funded, arrived_on=ago(7), amount=100)
    noted = ProjectFactory(name="有进展", liaison=me, stage_on=ago(500))
    ProjectUpdate.objects.create(project=noted, on=ago(3), text="土地已摘牌")
    ProjectFactory(name="已达产", liaison=me, stage=Stage.FULL_PRODUCTION, stage_on=ago(400))
    ProjectFactory(name="已放弃", liaison=me, stage=Stage.DROPPED, stage_on=ago(400))
    ProjectFactory(name="同事的项目", liaison=colleague, stage_on=ago(400))
    ProjectFactory(name="无人联系", stage_on=ago(400))

    client.force_login(me)
    response = client.get("/my-work/", HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 200
    part = section(response.content.decode())
    assert part is not None and "我挂点服务的项目" in part
    with translation.override("zh-hans"):
        talks, signed, building = (str(s.label) for s in (Stage.NEGOTIATING, Stage.SIGNED, Stage.CONSTRUCTION))
    assert talks != "Negotiating"  # the stages read in the user's language
    assert rows(part) == [
        ("久未推进", True, talks, "400"),
        ("刚过期限", True, signed, str(STALLED + 1)),
        ("恰在期限", False, talks, str(STALLED)),
        ("新近开工", False, building, "20"),
        ("资金到位", False, talks, "7"),
        ("有进展", False, talks, "3"),
    ]
    assert header_count(part) == 6
    assert f'href="{long_quiet.get_absolute_url()}"' in part
    for absent in ("已达产", "已放弃", "同事的项目", "无人联系"):
        assert absent not in part


def test_someone_who_follows_no_project_sees_the_empty_sentence(client):
    ProjectFactory(liaison=make_user("investment"), stage_on=ago(400))
    client.force_login(make_user("official"))
    html = client.get("/my-work/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    part = section(html)
    assert part is not None
    assert "您目前没有挂点服务的在推进项目。" in part and header_count(part) == 0 and "<table" not in part


def test_who_may_not_see_projects_does_not_see_the_section(client):
    outsider = UserFactory(username="no-projects")  # signed in, but in no group: no project permission
    ProjectFactory(name="看不到的项目", liaison=outsider, stage_on=ago(400))
    client.force_login(outsider)
    response = client.get("/my-work/")
    assert response.status_code == 200
    html = response.content.decode()
    assert section(html) is None and "看不到的项目" not in html
    assert "projects" not in response.context


def test_the_projects_cost_the_same_queries_whatever_their_number(client):
    me = make_user("investment")
    ProjectFactory(liaison=me, stage_on=ago(400))
    client.force_login(me)
    one = count_queries(client, "/my-work/")
    for days in (1, 50, 200, 300, 800):
        project = ProjectFactory(liaison=me, stage_on=ago(days + 100))
        FundArrivalFactory(project=project, arrived_on=ago(days), amount=10)
        ProjectUpdate.objects.create(project=project, on=ago(days + 1), text="进展")
    assert count_queries(client, "/my-work/") == one
