"""The dashboard page (/), the meeting-room big screen (/dashboard/screen/), their JSON (/api/dashboard/), and My work
(/my-work/): what the signed-in member of staff owes today, from the apps' selectors."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.decorators import permission_required
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from dashboard import charts, selectors
from dashboard.api.serializers import DashboardSerializer
from dashboard.cache import cached
from enterprises import selectors as enterprise_selectors
from enterprises.selectors import incubation_history
from enterprises.selectors import my_work as my_work_of
from indicators import narrative
from indicators import selectors as indicator_selectors
from indicators.selectors import DISAGREES, INCOMPLETE, default_year
from indicators.tables import reconciliation_text
from parkadmin.charts import figure_data
from parkadmin.formatting import WAN_PER_YI
from parkadmin.memo import memo_scope
from parkadmin.names import zone_name
from parks.models import Park
from projects import selectors as project_selectors
from projects.selectors import followed_by

HEADLINE_TRENDS = ("fiscal_revenue", "contract_investment", "hitech_enterprises", "hitech_output")
REPORTED_INCUBATION = ("incubating", "graduated")  # drawn beside the records' figures in the incubation chart
# How many signings and overdue problems the big screen's rolling lists hold.
SCREEN_LIST_LENGTH = 10
READ_PERMISSION = "indicators.view_indicatorvalue"


def url(name: str, **params) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "")}, doseq=True)
    return reverse(name) + (f"?{query}" if query else "")


def asked_year(value: str | None) -> int | None:
    """The year a query string asks for, if it is one the site can show."""
    try:
        year = int(value or "")
    except ValueError:
        return None
    return year if 1990 <= year <= 2100 else None


def choices(request) -> tuple[int, Park | None, bool, list[str]]:
    """Year, park and pending flag from the query string; problems with them are reported, not fatal."""
    problems = []
    year = asked_year(request.GET.get("year"))
    if year is None:  # the default costs queries on every view, cached or not: only when no usable year is asked
        year = default_year()
        if request.GET.get("year"):
            problems.append(
                _("Unknown year “%(year)s”: showing %(default)s.") % {"year": request.GET.get("year"), "default": year}
            )
    park = None
    code = request.GET.get("park")
    if code:
        park = Park.objects.filter(code=code).first()
        if park is None:
            problems.append(_("Unknown park “%(code)s”: showing the whole zone.") % {"code": code})
    return year, park, request.GET.get("include_pending") == "1", problems


def page_html(template: str, year: int, park: Park | None, include_pending: bool) -> str:
    """The figures, drill-down links, charts and narrative of the page or the big screen, drawn by `template`: worked
    out and drawn once for a year, park and pending flag, then cached until any record they come from changes
    (dashboard.cache). Drawing the cards and charts costs more than reading the figures, hence the
    cached HTML rather than the figures alone; the two templates share the cached figures."""
    park_code = park.code if park else None

    def draw() -> str:
        context = cached(
            "figures", lambda: figures_context(year, park, include_pending), year, park_code, include_pending
        )
        return render_to_string(template, {**context, "ZONE_NAME": zone_name()})

    with memo_scope():
        return mark_safe(cached(template, draw, year, park_code, include_pending))  # drawn by our own template


def figures_context(year: int, park: Park | None, include_pending: bool) -> dict:
    """The cached figures of the page and the big screen; run inside page_html's memo scope."""
    park_code = park.code if park else None
    figures = selectors.dashboard_figures(year=year, park=park, include_pending=include_pending)
    ranking_codes = list(selectors.RANKING_CODES)
    trends = selectors.indicator_trends([*HEADLINE_TRENDS, *ranking_codes, *REPORTED_INCUBATION], year, park)
    indicators = {
        i.code: i for i in indicator_selectors.indicators_in_order() if i.code in {*HEADLINE_TRENDS, *ranking_codes}
    }
    incubation_years = [
        {
            "year": y,
            **counts,
            "url": url("enterprises:incubation_list", incubating_at=y, park=park_code),
            "graduated_url": url("enterprises:incubation_list", status="graduated", left_year=y, park=park_code),
        }
        for y, counts in incubation_history(last=year, park=park).items()
    ]
    narrative_series = selectors.narrative_series(year, park)
    for cluster in figures["clusters"]:
        # The slice of enterprises with no cluster has no list of its own to open.
        cluster["url"] = cluster["code"] and url(
            "enterprises:enterprise_list", cluster=cluster["code"], park=park_code, in_zone="true"
        )
    for cluster in figures["cluster_output"]:
        cluster["url"] = url("enterprises:enterpriseyear_list", cluster=cluster["code"], park=park_code, year=year)
    for stage in figures["projects"]["by_stage"]:
        stage["url"] = url("projects:project_list", stage=stage["stage"], park=park_code)
    for row in figures["service_requests"]["by_category"]:
        row["url"] = url("enterprises:servicerequest_list", category=row["code"], status="unresolved", park=park_code)
        row["overdue_url"] = url(
            "enterprises:servicerequest_list", category=row["code"], overdue="true", park=park_code
        )
    indicator_url = {code: reverse("indicators:indicator_detail", args=[code]) for code in indicators}
    for card in figures["cards"]:
        card.url = reverse("indicators:indicator_detail", args=[card.indicator.code])
    for row in figures["reconciliation"]:
        row["verdict_text"] = reconciliation_text(row)
    funds_target = next(
        (c.target * WAN_PER_YI for c in figures["cards"] if c.indicator.code == "funds_arrived" and c.target), None
    )
    reported_incubation = {code: trends[code] for code in REPORTED_INCUBATION}
    headline_cards = [c for c in figures["cards"] if c.indicator.is_headline]
    sources = list(dict.fromkeys(c.source for c in headline_cards if c.source and c.value is not None))
    for card in headline_cards:
        card.source_mark = sources.index(card.source) + 1 if card.source in sources else None
    parks = list(Park.objects.order_by("code"))
    parks_map = enterprise_selectors.enterprises_by_park_tree(park=park, parks=parks)
    for row in parks_map:
        row["url"] = url("enterprises:enterprise_list", park=row["code"], in_zone="true")
    trend_rows = [
        {"name": indicators[c].local_name, "unit": indicators[c].unit, "points": trends[c], "url": indicator_url[c]}
        for c in HEADLINE_TRENDS
        if c in indicators
    ]
    chart_data = {
        "trends": charts.trends_chart(trend_rows),
        "clusters": charts.cluster_mix_chart(figures["clusters"], figures["cluster_output"]),
        "pipeline": charts.pipeline_chart(figures["projects"]["by_stage"]),
        "funds": charts.funds_chart(
            figures["funds_by_month"],
            funds_target,
            [url("projects:fundarrival_list", year=year, month=m, park=park_code) for m in range(1, 13)],
        ),
        "rankings": charts.rankings_chart(
            [
                {
                    "name": indicators[c].local_name,
                    "points": trends[c],
                    "out_of": indicators[c].max_value,
                    "url": indicator_url[c],
                }
                for c in ranking_codes
                if c in indicators
            ]
        ),
        "incubation": charts.incubation_chart(incubation_years, reported_incubation),
        "problems": charts.problems_chart(figures["service_requests"]["by_category"]),
        "parks_map": charts.parks_map_chart(parks_map),
        "screen_clusters": charts.cluster_mix_chart(figures["clusters"], figures["cluster_output"], compact=True),
        "screen_trends": charts.trends_chart(trend_rows, columns=4),
    }
    # The summary is written in Chinese whatever the interface language, like the reports it imitates.
    subject = narrative.subject_of(park)
    return {
        "year": year,
        "park": park,
        "include_pending": include_pending,
        "figures": figures,
        "cards": figures["cards"],
        "headline_cards": headline_cards,
        "sources": sources,
        "charts": {name: figure_data(figure) for name, figure in chart_data.items()},
        "narrative": narrative.summary(year, subject, narrative_series, selectors.narrative_spans(year, park)),
        "reconciliation": figures["reconciliation"],
        "disagreements": [row for row in figures["reconciliation"] if row["verdict"] == DISAGREES],
        "incomplete": [row for row in figures["reconciliation"] if row["verdict"] == INCOMPLETE],
        "years": indicator_selectors.year_choices(year),
        "parks": parks,
        "pending_count": indicator_selectors.submitted_by_year().get(year, 0),
        # The big screen's rolling lists.
        "latest_signings": project_selectors.latest_signings(year=year, park=park, limit=SCREEN_LIST_LENGTH),
        "overdue_problems": enterprise_selectors.most_overdue_problems(park=park, limit=SCREEN_LIST_LENGTH),
    }


@require_GET
@permission_required(READ_PERMISSION, raise_exception=True)
def dashboard(request):
    return render_page(request, "dashboard/index.html", "dashboard/_page.html")


@require_GET
@permission_required(READ_PERMISSION, raise_exception=True)
def screen(request):
    return render_page(request, "dashboard/screen.html", "dashboard/_screen.html")


def render_page(request, template: str, figures_template: str):
    year, park, include_pending, problems = choices(request)
    context = {
        "year": year,
        "park": park,
        "problems": problems,
        "generated_at": timezone.localtime(),
        "page_html": page_html(figures_template, year, park, include_pending),
    }
    return render(request, template, context)


class CanReadDashboard(permissions.BasePermission):
    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(READ_PERMISSION))


class DashboardAPIView(APIView):
    """The dashboard's figures as JSON, from the same selectors as the page."""

    permission_classes = [CanReadDashboard]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "year",
                OpenApiTypes.INT,
                description="Default: the latest year in which at least half of the headline indicators have approved "
                "values (else the latest year with approved data).",
            ),
            OpenApiParameter("park", OpenApiTypes.STR, description="Park code; default: the whole zone."),
            OpenApiParameter("include_pending", OpenApiTypes.BOOL),
        ],
        responses={200: DashboardSerializer},
    )
    def get(self, request):
        year, park, include_pending, problems = choices(request)
        if problems:
            raise ApiValidationError({"detail": problems})
        with memo_scope():
            data = cached(
                "api", lambda: api_figures(year, park, include_pending), year, park and park.code, include_pending
            )
        return Response(data)


def api_figures(year: int, park: Park | None, include_pending: bool) -> dict:
    with memo_scope():
        figures = selectors.dashboard_figures(year=year, park=park, include_pending=include_pending)
    return {
        "year": figures["year"],
        "park": figures["park"],
        "indicators": figures["indicators"],
        "projects": figures["projects"],
        "incubation": figures["incubation"],
        "service_requests": figures["service_requests"],
        "reconciliation": [
            {k: row[k] for k in ("code", "name", "unit", "reported", "records", "agrees", "verdict")}
            for row in figures["reconciliation"]
        ],
    }


@require_GET
def my_work(request):
    """/my-work/: what the signed-in member of staff owes today; the projects they follow only for those who may
    see projects."""
    context = my_work_of(request.user)
    if request.user.has_perm("projects.view_project"):
        context.update(
            projects=followed_by(request.user, today=context["today"]), stalled_days=settings.PROJECT_STALLED_DAYS
        )
    return render(request, "dashboard/my_work.html", context)
