"""Every signed-in user changes their own password: the old one is asked, the password validators apply, a refusal
changes nothing and says why in Chinese, and the user stays signed in while their other sessions end."""

import pytest
from django.test import Client

from tests.factories import UserFactory
from tests.harness import ROLES, make_user

pytestmark = pytest.mark.django_db

OLD = "correct-horse-battery"  # the factories' password
NEW = "晨光-园区-2026-更稳妥"
PAGE = "/accounts/password/"


def change(client, old=OLD, new1=NEW, new2=None):
    return client.post(PAGE, {"old_password": old, "new_password1": new1, "new_password2": new2 or new1})


@pytest.mark.parametrize("role", ROLES)
def test_every_role_reaches_the_page_from_the_user_menu(client, role):
    client.force_login(make_user(role))
    assert f'href="{PAGE}"' in client.get("/my-work/").content.decode()
    page = client.get(PAGE)
    assert page.status_code == 200
    html = page.content.decode()
    assert "修改密码" in html and 'class="form-control' in html and 'name="old_password"' in html


def test_a_user_without_any_role_changes_their_password_and_stays_signed_in():
    user = UserFactory(username="norole")
    here, elsewhere = Client(), Client()
    for browser in (here, elsewhere):
        browser.force_login(user)
    response = change(here)
    assert response.status_code == 302 and response["Location"] == "/my-work/"
    user.refresh_from_db()
    assert user.check_password(NEW) and not user.check_password(OLD)
    landed = here.get("/my-work/")
    assert landed.status_code == 200 and "密码已修改" in landed.content.decode()
    assert elsewhere.get("/my-work/").status_code == 302  # the other session ends with the old password


@pytest.mark.parametrize(
    ("old", "new1", "new2", "field", "message"),
    [
        ("wrong-password", NEW, NEW, "old_password", "旧密码不正确"),
        (OLD, NEW, NEW + "x", "new_password2", "不一致"),
        (OLD, "x7#kq", "x7#kq", "new_password2", "至少需要 10 个字符"),
        (OLD, "12345678901234", "12345678901234", "new_password2", "只包含数字"),
        (OLD, "password123456", "password123456", "new_password2", "太常见"),
        (OLD, "zhangwei-user", "zhangwei-user", "new_password2", "相似"),
    ],
)
def test_a_refused_password_changes_nothing_and_says_why_in_chinese(client, old, new1, new2, field, message):
    user = UserFactory(username="zhangwei-user")
    client.force_login(user)
    response = change(client, old, new1, new2)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field]), errors
    assert "is-invalid" in response.content.decode()
    user.refresh_from_db()
    assert user.check_password(OLD)


def test_the_page_wants_a_signed_in_user(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert change(client).status_code == 302
