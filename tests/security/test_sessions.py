"""Sign-ins: a new session id at login, the session gone from the server at logout, idle and absolute limits,
and the API token endpoint guarded by the same lockout as the login page."""

from __future__ import annotations

import time

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, override
from rest_framework.authtoken.models import Token

from parkadmin import middleware, roles
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"
TOKEN_URL = "/api/auth/token/"


@pytest.fixture(autouse=True)
def staff(db):
    return UserFactory(username="staff", groups=[roles.OFFICIALS])


def log_in(client, username="staff", password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def age_session(client, *, idle_seconds: int = 0, signed_in_seconds: int = 0) -> None:
    """Move the session's clocks back, as if time had passed since the login and the last request."""
    session = client.session
    now = int(time.time())
    session[middleware.LAST_SEEN_AT] = now - idle_seconds
    session[middleware.SIGNED_IN_AT] = now - max(signed_in_seconds, idle_seconds)
    session.save()


# --- login and logout -----------------------------------------------------------------------------------------


def test_login_gives_a_new_session_id(client):
    client.get("/accounts/login/")
    # A session exists before the login (e.g. the language chosen on the login page) ...
    session = client.session
    session["before_login"] = True
    session.save()
    before = session.session_key
    client.cookies[settings.SESSION_COOKIE_NAME] = before
    assert log_in(client).status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    # ... and the login replaces its id: an id planted before the login (session fixation) is worth nothing.
    assert after and after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_logout_deletes_the_session_on_the_server(client):
    log_in(client)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert Session.objects.filter(session_key=key).exists()
    assert client.post("/accounts/logout/").status_code == 302
    assert not Session.objects.filter(session_key=key).exists()
    # A copy of the old cookie opens nothing.
    client.cookies[settings.SESSION_COOKIE_NAME] = key
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_logout_by_get_is_refused(client):
    log_in(client)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.get("/").status_code == 200


# --- idle and absolute limits ---------------------------------------------------------------------------------


def test_settings_keep_the_absolute_lifetime():
    # Saving every request would move the cookie's expiry on with each click.
    assert settings.SESSION_SAVE_EVERY_REQUEST is False
    assert settings.SESSION_COOKIE_AGE == 12 * 3600
    assert settings.PARKADMIN_IDLE_MINUTES == 120


def test_a_session_used_within_the_idle_limit_stays_signed_in(client):
    log_in(client)
    age_session(client, idle_seconds=settings.PARKADMIN_IDLE_MINUTES * 60 - 120)
    assert client.get("/").status_code == 200
    # The request counts as activity: the idle clock starts again.
    assert int(time.time()) - client.session[middleware.LAST_SEEN_AT] < 5


def test_an_idle_session_is_signed_out_with_a_message_on_the_login_page(client):
    log_in(client)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    age_session(client, idle_seconds=settings.PARKADMIN_IDLE_MINUTES * 60 + 1)
    response = client.get("/enterprises/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Session.objects.filter(session_key=key).exists()
    login_page = client.get(response["Location"]).content.decode()
    with override("zh-hans"):
        expected = gettext("You were signed out after %(minutes)s minutes without activity. Please log in again.")
    assert expected % {"minutes": 120} in login_page


def test_the_idle_limit_is_configurable(client, settings):
    settings.PARKADMIN_IDLE_MINUTES = 5
    log_in(client)
    age_session(client, idle_seconds=6 * 60)
    assert client.get("/").status_code == 302


def test_a_busy_session_still_ends_at_the_absolute_limit(client):
    log_in(client)
    session = client.session
    session[middleware.SIGNED_IN_AT] = int(time.time()) - settings.SESSION_COOKIE_AGE - 1
    session[middleware.LAST_SEEN_AT] = int(time.time())
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    with override("zh-hans"):
        expected = gettext(
            "You were signed in for %(hours)s hours, the longest a sign-in lasts. Please log in again."
        ) % {"hours": 12.0}
    assert expected in client.get(response["Location"]).content.decode()


def test_the_session_expires_at_a_fixed_time_set_at_login(client):
    log_in(client)
    expiry = client.session.get_expiry_date()
    # Activity saves the session again, but the expiry (cookie and server side) does not move on.
    age_session(client, idle_seconds=120)
    client.get("/")
    assert abs((client.session.get_expiry_date() - expiry).total_seconds()) < 2
    remaining = client.session.get_expiry_age()
    assert settings.SESSION_COOKIE_AGE - 30 < remaining <= settings.SESSION_COOKIE_AGE


# --- passwords ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["password123", "1234567890", "short1!", "qwertyuiop"])
def test_weak_and_common_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password, get_user_model()(username="someone"))


def test_a_long_uncommon_password_is_accepted():
    validate_password("园区-管理-2024-river-lamp", get_user_model()(username="someone"))


# --- the API token endpoint -----------------------------------------------------------------------------------


def test_the_token_endpoint_returns_the_users_token(client):
    user = UserFactory(username="script")
    response = client.post(TOKEN_URL, {"username": "script", "password": PASSWORD})
    assert response.status_code == 200
    assert response.json() == {"token": Token.objects.get(user=user).key}
    # The token opens the API.
    api = client.get("/api/parks/", HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    assert api.status_code in (200, 403)


def test_the_token_endpoint_takes_json_too(client):
    UserFactory(username="script")
    response = client.post(TOKEN_URL, {"username": "script", "password": PASSWORD}, content_type="application/json")
    assert response.status_code == 200 and len(response.json()["token"]) == 40


def test_a_wrong_password_gets_400_and_no_token(client):
    UserFactory(username="script")
    response = client.post(TOKEN_URL, {"username": "script", "password": "wrong"})
    assert response.status_code == 400
    assert not Token.objects.exists()


def test_repeated_wrong_passwords_lock_the_token_endpoint(client, settings):
    UserFactory(username="script")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(TOKEN_URL, {"username": "script", "password": "wrong"}).status_code == 400
    locked = client.post(TOKEN_URL, {"username": "script", "password": "wrong"})
    assert locked.status_code == 429
    assert "30" in locked.json()["detail"] and "锁定" in locked.json()["detail"]
    assert locked["Retry-After"] == str(30 * 60)
    # Locked means locked: the right password gets no token until the cool-off ends.
    again = client.post(TOKEN_URL, {"username": "script", "password": PASSWORD})
    assert again.status_code == 429
    assert not Token.objects.exists()
    # The lockout is the login page's too: same user name, same address.
    assert log_in(client, "script").status_code == 429


def test_failures_on_the_login_page_count_for_the_token_endpoint(client, settings):
    UserFactory(username="script")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "script", "wrong")
    assert client.post(TOKEN_URL, {"username": "script", "password": PASSWORD}).status_code == 429


def test_a_success_clears_the_failures(client, settings):
    UserFactory(username="script")
    for _round in range(2):
        for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
            assert client.post(TOKEN_URL, {"username": "script", "password": "wrong"}).status_code == 400
        assert client.post(TOKEN_URL, {"username": "script", "password": PASSWORD}).status_code == 200


def test_the_lockout_is_per_user_name_and_address(client, settings):
    UserFactory(username="script")
    UserFactory(username="other")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        client.post(TOKEN_URL, {"username": "script", "password": "wrong"})
    # Another user from the same address is not locked ...
    assert client.post(TOKEN_URL, {"username": "other", "password": PASSWORD}).status_code == 200
    # ... nor the same user from another address.
    other_address = client.post(TOKEN_URL, {"username": "script", "password": PASSWORD}, REMOTE_ADDR="10.0.0.7")
    assert other_address.status_code == 200


def test_the_token_endpoint_is_in_the_api_schema(admin_client):
    schema = admin_client.get("/api/schema/?format=json").json()
    assert "post" in schema["paths"]["/api/auth/token/"]


def test_the_last_request_is_noted_at_most_once_a_minute(client, settings):
    settings.PARKADMIN_IDLE_TOUCH_SECONDS = 60
    log_in(client)
    age_session(client, idle_seconds=30)
    noted = client.session[middleware.LAST_SEEN_AT]
    client.get("/")
    assert client.session[middleware.LAST_SEEN_AT] == noted  # no session write for this request
    age_session(client, idle_seconds=61)
    client.get("/")
    assert int(time.time()) - client.session[middleware.LAST_SEEN_AT] < 5
