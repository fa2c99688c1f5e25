"""Every URL of the project refuses an anonymous visitor: pages send them to the login page, the API says 401/403.

The sweep walks the URL patterns themselves, so a page is covered the moment it is added.
"""

import pytest

from tests.harness import sample_paths

# What an anonymous visitor may reach, and why.
PUBLIC = {
    "login": "the login page itself",
    "set_language": "switching language before logging in",
    "admin:login": "the admin's own login page",
    "api-token": "trading a password for an API token (POST only, guarded by the lockout)",
}
# Admin pages redirect to the admin's login page, which then leads to ours.
ADMIN_LOGIN = "/admin/login/"


def test_every_url_pattern_gets_a_sample_path():
    _found, unresolved = sample_paths()
    assert not unresolved, f"add sample values in tests/harness.py for: {unresolved}"


@pytest.mark.django_db
@pytest.mark.parametrize("sample", sample_paths()[0], ids=lambda s: s.name or s.route)
def test_anonymous_visitor_is_refused(client, sample):
    if sample.name in PUBLIC:
        pytest.skip(PUBLIC[sample.name])
    response = client.get(sample.path)
    if sample.path.startswith("/api/") and not sample.path.startswith("/api/docs/"):
        assert response.status_code in (401, 403), f"{sample.path}: {response.status_code}"
        return
    assert response.status_code in (301, 302), f"{sample.path}: {response.status_code}"
    location = response["Location"]
    assert location.startswith(("/accounts/login/", ADMIN_LOGIN)), f"{sample.path} -> {location}"


@pytest.mark.django_db
def test_public_pages_answer_anonymous_visitors(client):
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/admin/login/").status_code == 200
