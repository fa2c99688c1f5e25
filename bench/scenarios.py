"""What the benchmark measures: one row per page, and the exports.

A page's URL may name `{year}` (the sample data's last year), `{eit}` (the EIT cluster's id, as the admin filters
by it) and `{enterprise}` (an enterprise in the middle of the table). Each page is compared with a baseline: the
Django admin page of the same model, filter and order (`admin_url`, with `admin_sort` turned into the changelist's
`o`), or, where the admin has nothing alike, the page's own SELECTs run bare through a cursor (`BARE_SQL`).
"""

from __future__ import annotations

from dataclasses import dataclass

BARE_SQL = "bare_sql"


@dataclass(frozen=True)
class Scenario:
    """One page: its server time, queries and SQL time, beside its baseline's."""

    name: str
    url: str
    baseline: str = BARE_SQL  # the admin page's name in the results, or BARE_SQL
    admin_url: str = ""
    admin_sort: str = ""  # the changelist column to order by, "-" first for descending
    uncached: bool = False  # the dashboard's and the pipeline figures' caches emptied before every request


@dataclass(frozen=True)
class Export:
    """A list's CSV or XLSX export of every row: rows per second and the process's peak memory."""

    kind: str
    url: str
    model: str  # app_label.ModelName, whose rows are counted

    def formats(self) -> list[str]:
        return [f"{self.kind}:{fmt}" for fmt in ("csv", "xlsx")]


def admin(model: str) -> str:
    return f"/admin/{model}/"


ENTERPRISES = admin("enterprises/enterprise")
PROJECTS = admin("projects/project")
SERVICE_REQUESTS = admin("enterprises/servicerequest")
ENTERPRISE_YEARS = admin("enterprises/enterpriseyear")
INDICATOR_VALUES = admin("indicators/indicatorvalue")
INCUBATIONS = admin("enterprises/incubation")

PAGES = [
    Scenario("dashboard", "/?year={year}"),
    Scenario("dashboard_park", "/?year={year}&park=core"),
    Scenario("dashboard_uncached", "/?year={year}", uncached=True),
    Scenario("api_dashboard", "/api/dashboard/?year={year}"),
    # Each list three times: as it opens, filtered and sorted, beside the admin changelist doing the same.
    Scenario("enterprises_list", "/enterprises/", "admin_enterprise_changelist", ENTERPRISES),
    Scenario(
        "enterprises_list_filtered",
        "/enterprises/?status=operating&cluster=EIT",
        "admin_enterprise_changelist_filtered",
        ENTERPRISES + "?status__exact=operating&cluster__id__exact={eit}",
    ),
    Scenario(
        "enterprises_list_sorted",
        "/enterprises/?sort=-registered_capital",
        "admin_enterprise_changelist_sorted",
        ENTERPRISES,
        admin_sort="-registered_capital",
    ),
    Scenario("projects_list", "/projects/", "admin_project_changelist", PROJECTS),
    Scenario(
        "projects_list_filtered",
        "/projects/?stage=construction",
        "admin_project_changelist_filtered",
        PROJECTS + "?stage__exact=construction",
    ),
    Scenario(
        "projects_list_sorted",
        "/projects/?sort=-contract_investment",
        "admin_project_changelist_sorted",
        PROJECTS,
        admin_sort="-contract_investment",
    ),
    # The pipeline analytics page and its API: no admin page alike; the target is twice the project list's time.
    Scenario("projects_analytics", "/projects/analytics/"),
    Scenario("projects_analytics_uncached", "/projects/analytics/", uncached=True),
    Scenario("api_projects_analytics", "/api/projects/analytics/"),
    Scenario(
        "service_requests_list", "/enterprises/service-requests/", "admin_servicerequest_changelist", SERVICE_REQUESTS
    ),
    Scenario(
        "service_requests_list_filtered",
        "/enterprises/service-requests/?status=open&category=utilities",
        "admin_servicerequest_changelist_filtered",
        SERVICE_REQUESTS + "?status__exact=open&category__exact=utilities",
    ),
    Scenario(
        "service_requests_list_sorted",
        "/enterprises/service-requests/?sort=-raised_on",
        "admin_servicerequest_changelist_sorted",
        SERVICE_REQUESTS,
        admin_sort="-raised_on",
    ),
    Scenario("enterprise_years_list", "/enterprises/years/", "admin_enterpriseyear_changelist", ENTERPRISE_YEARS),
    Scenario(
        "enterprise_years_list_filtered",
        "/enterprises/years/?year={year}",
        "admin_enterpriseyear_changelist_filtered",
        ENTERPRISE_YEARS + "?year={year}",
    ),
    Scenario(
        "enterprise_years_list_sorted",
        "/enterprises/years/?sort=-revenue",
        "admin_enterpriseyear_changelist_sorted",
        ENTERPRISE_YEARS,
        admin_sort="-revenue",
    ),
    Scenario("indicator_values_list", "/indicators/values/", "admin_indicatorvalue_changelist", INDICATOR_VALUES),
    Scenario(
        "indicator_values_list_filtered",
        "/indicators/values/?year={year}&status=approved",
        "admin_indicatorvalue_changelist_filtered",
        INDICATOR_VALUES + "?year={year}&status__exact=approved",
    ),
    Scenario(
        "indicator_values_list_sorted",
        "/indicators/values/?sort=year",
        "admin_indicatorvalue_changelist_sorted",
        INDICATOR_VALUES,
        admin_sort="year",
    ),
    Scenario("incubations_list", "/enterprises/incubations/", "admin_incubation_changelist", INCUBATIONS),
    Scenario(
        "incubations_list_filtered",
        "/enterprises/incubations/?status=incubating",
        "admin_incubation_changelist_filtered",
        INCUBATIONS + "?status__exact=incubating",
    ),
    Scenario(
        "incubations_list_sorted",
        "/enterprises/incubations/?sort=enterprise",
        "admin_incubation_changelist_sorted",
        INCUBATIONS,
        admin_sort="enterprise",
    ),
    Scenario(
        "enterprise_detail",
        "/enterprises/{enterprise}/",
        "admin_enterprise_change",
        ENTERPRISES + "{enterprise}/change/",
    ),
    # The API's lists as they open, beside the admin changelist of the same model.
    Scenario("api_enterprises_list", "/api/enterprises/", "admin_enterprise_changelist", ENTERPRISES),
    Scenario(
        "api_enterprise_years_list", "/api/enterprise-years/", "admin_enterpriseyear_changelist", ENTERPRISE_YEARS
    ),
    Scenario("api_projects_list", "/api/projects/", "admin_project_changelist", PROJECTS),
    Scenario(
        "api_service_requests_list", "/api/service-requests/", "admin_servicerequest_changelist", SERVICE_REQUESTS
    ),
    Scenario(
        "api_indicator_values_list", "/api/indicator-values/", "admin_indicatorvalue_changelist", INDICATOR_VALUES
    ),
    Scenario("api_incubations_list", "/api/incubations/", "admin_incubation_changelist", INCUBATIONS),
]

EXPORTS = [
    Export("enterprises", "/enterprises/", "enterprises.Enterprise"),
    Export("enterprise_years", "/enterprises/years/", "enterprises.EnterpriseYear"),
]
EXPORT_CHOICES = [what for export in EXPORTS for what in export.formats()]
# `import_data enterprise-years` of this many new rows (fewer below scale 1), rolled back afterwards.
IMPORT_ROWS = 10_000
