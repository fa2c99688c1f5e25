"""Nothing a signed-in person or an API client is answered may stay in a browser's or a proxy's cache."""

import pytest
from rest_framework.authtoken.models import Token

from tests.factories import EnterpriseFactory
from tests.harness import make_user

pytestmark = pytest.mark.django_db


def no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "") and "private" in response.get("Cache-Control", "")


@pytest.mark.parametrize(
    "path",
    ["/", "/enterprises/", "/enterprises/?export=csv", "/enterprises/?export=xlsx", "/api/enterprises/", "/history/"],
)
def test_pages_api_answers_and_exports_for_a_signed_in_user_are_not_stored(admin_client, path):
    EnterpriseFactory()
    response = admin_client.get(path)
    assert response.status_code == 200
    assert no_store(response), response.get("Cache-Control")


def test_an_enterprise_page_and_a_report_file_are_not_stored(admin_client):
    enterprise = EnterpriseFactory()
    assert no_store(admin_client.get(enterprise.get_absolute_url()))
    report = admin_client.get("/reports/annual.xlsx", {"year": 2020})
    assert report.status_code == 200 and no_store(report)


def test_an_api_client_with_a_token_is_answered_with_no_store(client):
    token = Token.objects.create(user=make_user("official"))
    response = client.get("/api/enterprises/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert no_store(response), response.get("Cache-Control")


def test_static_files_keep_their_caching(client):
    response = client.get("/static/css/parkadmin.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
