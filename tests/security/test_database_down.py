"""While the database cannot be reached, pages answer 503 "try again" (API: 503 JSON), never a 500 error page.

The real thing (PostgreSQL restarted under load) is `make loadtest`; here the failure is simulated.
"""

from __future__ import annotations

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client

from tests.harness import make_user

pytestmark = pytest.mark.django_db

DOWN = OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')


@pytest.fixture
def client_(db):
    # The default test client re-raises a view's exception; a browser gets the response instead.
    client = Client(raise_request_exception=False)
    client.force_login(make_user("official"))
    return client


def test_a_page_answers_503_with_a_retry_when_the_session_cannot_be_read(client_):
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=DOWN):
        response = client_.get("/enterprises/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "503" in response.content.decode()


def test_a_page_answers_503_when_its_view_loses_the_database(client_):
    with mock.patch(
        "enterprises.views.EnterpriseListView.get", side_effect=InterfaceError("connection already closed")
    ):
        response = client_.get("/enterprises/")
    assert response.status_code == 503


def test_the_api_answers_503_json(client_):
    with mock.patch("parks.api.views.ParkViewSet.list", side_effect=DOWN):
        response = client_.get("/api/parks/")
    assert response.status_code == 503
    assert response.json()["detail"]
    assert response["Retry-After"] == "5"


def test_other_errors_stay_500(client_):
    with mock.patch("enterprises.views.EnterpriseListView.get", side_effect=ValueError("a bug")):
        response = client_.get("/enterprises/")
    assert response.status_code == 500
