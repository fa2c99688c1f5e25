"""Logging in, locking out, switching language, and roles kept in step by migrate."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from parkadmin import roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_login_with_the_right_password_lands_on_home(client):
    UserFactory(username="staff")
    response = client.post("/accounts/login/", {"username": "staff", "password": "correct-horse-battery"})
    assert response.status_code == 302 and response["Location"] == "/"


def test_repeated_wrong_passwords_lock_the_account_with_a_chinese_message(client, settings):
    UserFactory(username="staff")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post("/accounts/login/", {"username": "staff", "password": "wrong"})
        assert response.status_code == 200
        assert "用户名和密码不匹配" in response.content.decode() or "did not match" in response.content.decode()
    locked = client.post("/accounts/login/", {"username": "staff", "password": "wrong"})
    assert locked.status_code == 429
    assert "30" in locked.content.decode()
    # Locked means locked: even the right password is refused until the cool-off ends.
    again = client.post("/accounts/login/", {"username": "staff", "password": "correct-horse-battery"})
    assert again.status_code == 429


def test_logout_is_a_post_and_ends_the_session(client):
    user = UserFactory()
    client.force_login(user)
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_language_can_be_switched_before_logging_in(client):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response.cookies["django_language"].value == "en"
    assert 'lang="en"' in client.get("/accounts/login/").content.decode()


def test_migrate_restores_the_roles_permissions():
    group = Group.objects.get(name=roles.OFFICIALS)
    group.permissions.clear()
    call_command("migrate", verbosity=0)
    assert group.permissions.filter(codename="view_park").exists()


def test_load_demo_if_empty_still_ensures_the_accounts():
    call_command("load_demo")
    call_command("load_demo", "--if-empty", "--with-accounts")
    from django.contrib.auth import get_user_model

    assert get_user_model().objects.filter(username__startswith="demo-").count() == 3
