"""What the benchmark's targets ask that a test can hold: query counts that stay put as the data grows.

(Times are measured by `make bench`, not by tests.) The pages are the benchmark's, on sample data of two sizes.
"""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dashboard.cache import invalidate
from parkadmin.sample import END_YEAR

pytestmark = pytest.mark.django_db

LISTS = [
    "/enterprises/",
    "/enterprises/?status=operating&cluster=EIT",
    "/enterprises/?sort=-registered_capital",
    "/projects/",
    "/projects/?stage=construction",
    "/projects/?sort=-contract_investment",
    "/enterprises/service-requests/",
    "/enterprises/service-requests/?status=open&category=utilities",
    "/enterprises/service-requests/?sort=-raised_on",
    "/enterprises/years/",
    f"/enterprises/years/?year={END_YEAR}",
    "/enterprises/years/?sort=-revenue",
    "/indicators/values/",
    f"/indicators/values/?year={END_YEAR}&status=approved",
    "/indicators/values/?sort=year",
    "/enterprises/incubations/",
    "/enterprises/incubations/?status=incubating",
    "/enterprises/incubations/?sort=enterprise",
]
# The pipeline analytics page and its API: constant, not bounded like the lists (they read every project once).
ANALYTICS = ["/projects/analytics/", "/api/projects/analytics/"]
API = [
    "/api/enterprises/",
    "/api/enterprise-years/",
    "/api/projects/",
    "/api/service-requests/",
    "/api/indicator-values/",
    "/api/incubations/",
]


def queries(client, url: str) -> tuple[int, bool]:
    """The page's number of queries, and whether it listed any row (an empty page skips reading rows)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    if url.startswith("/api/"):
        listed = bool(response.json().get("results", True))
    else:
        listed = response.context is None or "page_obj" not in response.context or bool(response.context["rows"])
    return len(captured), listed


def counts(client) -> dict[str, tuple[int, bool]]:
    result = {url: queries(client, url) for url in LISTS + API + ANALYTICS}
    invalidate()
    result["dashboard, first"] = queries(client, f"/?year={END_YEAR}")
    result["dashboard"] = queries(client, f"/?year={END_YEAR}")
    result["api dashboard, first"] = queries(client, f"/api/dashboard/?year={END_YEAR}")
    result["api dashboard"] = queries(client, f"/api/dashboard/?year={END_YEAR}")
    return result


def test_query_counts_stay_within_the_targets_and_do_not_grow_with_the_data(admin_client):
    call_command("generate_sample_data", "--scale", "0.01", "--seed", "1", stdout=io.StringIO())
    admin_client.get("/")  # the first request of a test warms per-process caches
    small = counts(admin_client)
    call_command("generate_sample_data", "--scale", "0.03", "--seed", "1", "--replace", stdout=io.StringIO())
    larger = counts(admin_client)
    assert {page: n for page, (n, listed) in larger.items() if listed and small[page][1]} == {
        page: n for page, (n, listed) in small.items() if listed and larger[page][1]
    }
    # The benchmark's user (signed in without a session, a superuser) makes two or three queries fewer than this
    # test's: its targets are 12 for a list and 30 for the dashboard after a write.
    for url in LISTS + API:
        assert larger[url][0] <= 13, url
    # The dashboard as served from the cache: the session, the user, the user's permissions (two queries), the
    # data version, the user's roles, the bell's count of unread notifications and, for a reviewer, the count of
    # values waiting for review (the top bar's badge); at most 31 when its figures are worked out again. The big
    # screen's rolling lists and park map and the values over several years took it from 26 to 30, the bell to 31.
    assert larger["dashboard"][0] == 8
    assert larger["dashboard, first"][0] <= 31
    assert larger["dashboard"][0] <= 9
    assert larger["api dashboard"][0] <= 8
    assert larger["dashboard, first"][0] <= 50
    assert larger["api dashboard, first"][0] <= 35
