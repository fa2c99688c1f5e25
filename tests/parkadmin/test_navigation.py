"""The top bar: the areas each user may read, the one the page is in, in the interface's language; who sees what
is decided on every request, and the request's own values (the form token, the page, the user's name and roles)
are drawn escaped."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import Group, Permission
from django.template.loader import render_to_string
from django.test import Client

from parkadmin import navigation, roles
from parkadmin.imports.kinds import importable
from tests.factories import UserFactory
from tests.harness import ROLES, make_user

pytestmark = pytest.mark.django_db

AREA_LINK = re.compile(
    r'<a class="(?:nav-link|dropdown-item)( active)?" href="([^"]+)"(?: aria-current="page")?(?: title="[^"]+")?>'
    r'<i class="bi [\w-]+"></i> (?:<span class="pa-compact-label">)?([^<]+)'
)
BADGE = re.compile(r'<span class="badge rounded-pill text-bg-warning" data-pa-badge>(\d+)</span>')
MENU = re.compile(r'<button class="nav-link dropdown-toggle( active)?"[^>]* data-pa-menu="([\w-]+)">')


def top_bar_html(response) -> str:
    assert response.status_code == 200
    html = response.content.decode()
    return html[html.index('<ul class="navbar-nav me-auto">') : html.index('<form class="d-flex')]


def areas(response) -> list[tuple[str, str, bool]]:
    """(URL, label, active) of each area in the page's top bar, those inside its menus included."""
    return [(url, label, bool(active)) for active, url, label in AREA_LINK.findall(top_bar_html(response))]


def menus(response) -> dict[str, bool]:
    """{menu: active} of each menu in the page's top bar."""
    return {name: bool(active) for active, name in MENU.findall(top_bar_html(response))}


def expected_urls(user) -> list[str]:
    """The rule, spelled out: an area shows to those holding its view permission (import: to those who may add
    some kind of record; my work and history: to everyone)."""
    wanted = []
    for area in navigation.all_areas():
        if area.name == "imports":
            shown = bool(importable(user))
        elif area.permission is None:
            shown = True
        else:
            shown = user.has_perm(area.permission)
        if shown:
            wanted.append(navigation.area_urls(None, "/")[area.name])
    return wanted


@pytest.mark.parametrize("role", ROLES)
def test_each_role_sees_the_areas_it_may_read(client, role):
    user = make_user(role)
    client.force_login(user)
    shown = [url for url, _label, _active in areas(client.get("/my-work/"))]
    assert shown == expected_urls(user)
    assert "/my-work/" in shown and "/history/" in shown
    if role == "official":
        assert "/imports/" not in shown and "/" in shown


def test_the_page_marks_only_its_own_area(admin_client):
    for path, area in [
        ("/", "/"),
        ("/enterprises/", "/enterprises/"),
        ("/enterprises/service-requests/", "/enterprises/service-requests/"),  # under /enterprises/, yet its own
        ("/enterprises/parks/", "/enterprises/parks/"),
        ("/enterprises/qualifications/", "/enterprises/qualifications/"),
        ("/history/", "/history/"),
    ]:
        active = [url for url, _label, is_active in areas(admin_client.get(path)) if is_active]
        assert active == [area], path


@pytest.mark.parametrize(
    ("path", "menu"),
    [("/enterprises/years/", "enterprises"), ("/enterprises/parks/", "zone"), ("/history/", None)],
)
def test_a_menu_is_marked_when_the_page_lies_in_one_of_its_areas(admin_client, path, menu):
    shown = menus(admin_client.get(path))
    assert set(shown) == {"enterprises", "zone"}
    assert [name for name, active in shown.items() if active] == ([menu] if menu else [])


ENTERPRISE_LISTS = [
    "/enterprises/",
    "/enterprises/qualifications/",
    "/enterprises/platforms/",
    "/enterprises/years/",
    "/enterprises/incubators/",
    "/enterprises/incubations/",
    "/enterprises/service-requests/",
]


def test_the_enterprise_menu_reaches_every_list_of_enterprise_records(admin_client):
    shown = [url for url, _label, _active in areas(admin_client.get("/history/"))]
    assert [url for url in shown if url in shown[: shown.index("/projects/")]][1:] == ENTERPRISE_LISTS
    for url in ENTERPRISE_LISTS:
        assert admin_client.get(url).status_code == 200, url


def test_the_enterprise_menu_holds_only_the_lists_the_user_may_read(client):
    user = UserFactory(username="reader")
    user.user_permissions.set(Permission.objects.filter(codename__in=["view_qualification", "view_servicerequest"]))
    client.force_login(user)
    response = client.get("/history/")
    shown = [url for url, _label, _active in areas(response)]
    assert shown == [
        "/enterprises/qualifications/",
        "/enterprises/service-requests/",
        "/my-work/",
        "/history/",
        "/notifications/",
    ]
    assert set(menus(response)) == {"enterprises"}  # the zone menu, with nothing to show, is not drawn
    assert top_bar_html(response).count("dropdown-divider") == 1  # between the two groups that show, nowhere else


def test_a_user_who_may_read_no_list_sees_no_menu(client):
    client.force_login(UserFactory(username="nobody"))
    response = client.get("/my-work/")
    assert menus(response) == {}
    assert "dropdown-divider" not in top_bar_html(response)


def test_the_areas_follow_the_language_each_time(admin_user):
    chinese, english = Client(HTTP_ACCEPT_LANGUAGE="zh-hans"), Client(HTTP_ACCEPT_LANGUAGE="en")
    for browser in (chinese, english):
        browser.force_login(admin_user)
    for _ in range(2):  # a language's page does not leak into the other's
        assert ("/enterprises/", "企业", False) in areas(chinese.get("/history/"))
        assert ("/enterprises/", "Enterprises", False) in areas(english.get("/history/"))


def test_a_permission_taken_away_takes_its_area_away_on_the_next_page(client):
    user = make_user("investment")
    client.force_login(user)
    assert "/projects/" in [url for url, _l, _a in areas(client.get("/history/"))]
    user.groups.set([Group.objects.get(name=roles.OFFICIALS)])
    shown = [url for url, _l, _a in areas(client.get("/history/"))]
    assert "/projects/" in shown  # officials read projects too
    assert "/imports/" not in shown


def test_each_user_gets_their_own_name_roles_and_page(client):
    first, second = make_user("enterprise"), UserFactory(username="wang", groups=[roles.ENTERPRISE_STAFF])
    first.first_name, first.last_name = "<script>alert(1)</script>", "李"
    first.save()
    second.first_name, second.last_name = "芳", "王"
    second.save()
    client.force_login(first)
    page = client.get('/history/?q="><b>&page=2').content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; 李" in page and "<script>alert(1)" not in page
    assert 'name="next" value="/history/?q=%22%3E%3Cb%3E&amp;page=2"' in page  # as the template escaped it
    assert roles.ENTERPRISE_STAFF in page
    client.force_login(second)
    page = client.get("/history/").content.decode()
    top_bar = page[: page.index("</nav>")]  # the page itself may name others (the history's filter of people)
    assert "芳 王" in top_bar and "alert" not in top_bar
    assert 'name="next" value="/history/"' in page


def test_the_top_bar_s_forms_carry_a_working_token():
    user = make_user("official")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    page = browser.get("/history/").content.decode()
    tokens = re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert len(tokens) == 2 and tokens[0] == tokens[1]
    switched = browser.post("/i18n/setlang/", {"language": "en", "next": "/history/", "csrfmiddlewaretoken": tokens[0]})
    assert switched.status_code == 302 and switched.url == "/history/"
    assert "Log out" in browser.get("/history/").content.decode()
    refused = browser.post("/accounts/logout/", {"csrfmiddlewaretoken": "x" * 64})
    assert refused.status_code == 403
    logged_out = browser.post("/accounts/logout/", {"csrfmiddlewaretoken": tokens[1]})
    assert logged_out.status_code == 302
    assert browser.get("/history/").status_code == 302  # back to the login page


def test_only_staff_see_the_administration_link(client, admin_user):
    client.force_login(make_user("statistics"))
    assert "/admin/" not in client.get("/history/").content.decode()
    admin_user.is_staff = True
    admin_user.save()
    client.force_login(admin_user)
    assert 'href="/admin/"' in client.get("/history/").content.decode()


def test_the_login_page_shows_no_areas_and_no_user_menu(client):
    page = client.get("/accounts/login/").content.decode()
    assert 'class="nav-link' not in page and "dropdown-menu" not in page
    assert 'name="language"' in page  # the language switch is there before signing in


def test_a_changed_zone_name_shows_in_the_top_bar(admin_client, settings):
    settings.ZONE_NAME = "测试高新区"
    assert "测试高新区" in admin_client.get("/history/").content.decode()


def test_a_page_drawn_without_a_user_has_a_top_bar_without_areas(rf):
    request = rf.get("/")
    html = render_to_string("includes/top_bar.html", request=request)
    assert 'name="language"' in html and "nav-link" not in html and "dropdown-menu" not in html


def review_badge(response) -> int | None:
    """The count on the review item of the top bar, None where it shows no count."""
    found = BADGE.findall(top_bar_html(response))
    assert len(found) <= 1
    return int(found[0]) if found else None


def submitted(count: int, status: str = "submitted") -> None:
    from tests.factories import IndicatorFactory, IndicatorValueFactory

    indicator = IndicatorFactory()
    for year in range(2000, 2000 + count):
        IndicatorValueFactory(indicator=indicator, year=year, status=status)


def test_a_reviewer_sees_how_many_values_wait_for_review(client):
    client.force_login(make_user("reviewer"))
    assert review_badge(client.get("/my-work/")) is None  # nothing waits: no count, the way to the queue stays
    assert "/indicators/review/" in [url for url, _l, _a in areas(client.get("/my-work/"))]
    submitted(3)
    submitted(2, status="draft")  # drafts and approved values wait for no one
    submitted(2, status="approved")
    assert review_badge(client.get("/my-work/")) == 3
    chinese = client.get("/my-work/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'title="待审核数据"' in chinese


@pytest.mark.parametrize("role", ["official", "investment", "enterprise", "statistics"])
def test_who_may_not_review_sees_no_review_count(client, role):
    submitted(2)
    client.force_login(make_user(role))
    response = client.get("/my-work/")
    assert review_badge(response) is None
    assert "/indicators/review/" not in [url for url, _l, _a in areas(response)]


def test_the_review_count_costs_one_query_whatever_the_number_waiting(client):
    from tests.harness import count_queries

    client.force_login(make_user("reviewer"))
    submitted(1)
    one = count_queries(client, "/my-work/")
    submitted(40)
    assert count_queries(client, "/my-work/") == one
    client.force_login(make_user("statistics"))  # the same page, drawn without the count
    assert count_queries(client, "/my-work/") == one - 1
