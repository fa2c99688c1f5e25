"""An administrator cannot read other people's API tokens in the admin: the token list, a token's page, its delete
page and the admin log show the first characters only, and the tokens still work."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry
from rest_framework.authtoken.models import Token

from tests.factories import UserFactory
from tests.harness import make_user

pytestmark = pytest.mark.django_db

TOKENS = "/admin/parkadmin/apitoken/"


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


def test_the_admin_never_shows_another_users_token_in_full(admin_client, client):
    owner = UserFactory(username="script-owner")
    key = Token.objects.create(user=owner).key
    # DRF's own token admin listed every key in full; it is gone.
    drf_list = admin_client.get("/admin/authtoken/tokenproxy/")
    assert key not in drf_list.content.decode()
    assert drf_list.status_code == 404
    pages = [
        admin_client.get(TOKENS),
        admin_client.get(TOKENS, {"q": "script-owner"}),
        admin_client.get(f"{TOKENS}{owner.pk}/change/"),
        admin_client.get(f"{TOKENS}{owner.pk}/delete/"),
        admin_client.get("/admin/"),
    ]
    for page in pages:
        assert page.status_code == 200
        html = page.content.decode()
        assert key not in html
        assert key[:12] not in html
    assert key[:6] in pages[0].content.decode()  # enough to tell tokens apart


def test_deleting_a_token_in_the_admin_logs_its_first_characters_only(admin_client):
    owner = UserFactory(username="script-owner")
    key = Token.objects.create(user=owner).key
    response = admin_client.post(f"{TOKENS}{owner.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Token.objects.exists()
    entry = LogEntry.objects.get()
    assert key not in entry.object_repr and entry.object_repr.startswith(key[:6])
    assert key not in admin_client.get("/admin/").content.decode()


def test_a_token_still_authenticates(client):
    user = make_user("official")
    key = Token.objects.create(user=user).key
    response = client.get("/api/parks/", HTTP_AUTHORIZATION=f"Token {key}")
    assert response.status_code == 200


def test_only_administrators_hold_a_permission_on_tokens():
    from django.contrib.auth.models import Group

    holders = {group.name for group in Group.objects.filter(permissions__codename__endswith="apitoken").distinct()}
    assert holders <= {"管理员 administrators"}
