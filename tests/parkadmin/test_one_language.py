"""One language at a time: the Chinese UI shows no English and no raw codes where a label exists, the English UI
no Chinese, in the strings that come from libraries (select empty choices, the admin's titles, django-axes)."""

import re
from html import unescape

import pytest
from django.test import Client

from tests.factories import ParkFactory, UserFactory

pytestmark = pytest.mark.django_db

LANGUAGES = {"zh-hans": "Chinese", "en": "English"}


@pytest.fixture
def superuser(db):
    return UserFactory(username="root", is_staff=True, is_superuser=True)


def browser(user, language: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user)
    return client


def empty_choices(html: str) -> dict[str, str]:
    """Each <select>'s name → the label of its empty choice (value ""), where it has one."""
    found = {}
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        empty = re.search(r'<option value=""[^>]*>(.*?)</option>', body, re.S)
        if empty:
            found[name] = unescape(empty.group(1).strip())
    return found


@pytest.mark.parametrize(("language", "label"), [("zh-hans", "全部"), ("en", "All")])
def test_the_history_filters_empty_choice_reads_all(admin_user, language, label):
    html = browser(admin_user, language).get("/history/").content.decode()
    assert empty_choices(html) == {"user": label, "model": label}
    assert "---------" not in html


@pytest.mark.parametrize(("language", "label"), [("zh-hans", "全部"), ("en", "All")])
def test_a_lists_filters_empty_choice_reads_all(admin_user, language, label):
    html = browser(admin_user, language).get("/enterprises/").content.decode()
    choices = empty_choices(html)
    # django-filter's choice and model-choice filters, and ours (the park tree, yes/no).
    for name in ("cluster", "status", "size_class", "liaison", "qualification", "is_sample"):
        assert choices[name] == label, name
    assert "---------" not in html


@pytest.mark.parametrize(("language", "label"), [("zh-hans", "请选择…"), ("en", "Choose…")])
def test_a_forms_empty_choice_is_a_translated_placeholder(admin_user, language, label):
    ParkFactory(code="p1", name="一园")
    html = browser(admin_user, language).get("/enterprises/add/").content.decode()
    choices = empty_choices(html)
    assert choices, "the enterprise form has selects with an empty choice"
    assert set(choices.values()) == {label}
    assert "---------" not in html


@pytest.mark.parametrize(
    ("language", "header", "index_title"),
    [("zh-hans", "园区管理驾驶舱 管理后台", "系统管理"), ("en", "ParkAdmin administration", "Administration")],
)
def test_the_admin_is_branded_in_the_users_language(superuser, language, header, index_title):
    response = browser(superuser, language).get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<div id="site-name"><a href="/admin/">\s*' + re.escape(header) + r"\s*</a>", html)
    assert f"<title>{index_title} | {header}</title>" in html
    assert "Django" not in re.sub(r"<(script|link)[^>]*>", "", html)


@pytest.mark.parametrize(
    ("language", "app", "model"), [("zh-hans", "登录保护", "登录尝试"), ("en", "Login protection", "Access attempts")]
)
def test_the_login_lockout_app_has_names_in_the_users_language(superuser, language, app, model):
    client = browser(superuser, language)
    index = client.get("/admin/").content.decode()
    assert re.search(r'<a href="/admin/axes/"[^>]*>\s*' + re.escape(app) + r"\s*</a>", index)
    assert re.search(r'<a href="/admin/axes/accessattempt/"[^>]*>\s*' + re.escape(model) + r"\s*</a>", index)
    assert "axes" not in re.sub(r"<[^>]+>", " ", index).lower()  # the visible text, not the links' addresses


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_import_page_shows_each_kinds_title_not_its_code(admin_user, language):
    html = browser(admin_user, language).get("/imports/").content.decode()
    text = re.sub(r"<[^>]+>", " ", html)
    assert "fund-arrivals" in html  # in the links
    assert "fund-arrivals" not in text
