from __future__ import annotations

import functools
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from parkadmin import audit, exports
from parkadmin.charts import figure_data
from parkadmin.forms import safe_next
from parkadmin.generic import (
    ModelPermissionMixin,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    StepView,
)
from parkadmin.tables import MONEY, NUMBER, TEXT, Column
from projects import analytics, charts
from projects.choices import STAGE_ORDER, Stage
from projects.filtersets import FundArrivalFilterSet, ProjectFilterSet, ProjectUpdateFilterSet
from projects.forms import (
    MONEY_FIELDS,
    AnalyticsForm,
    FundArrivalForm,
    ProjectCreateForm,
    ProjectForm,
    ProjectUpdateForm,
    StageMoveForm,
)
from projects.models import KEY_LEVEL_FIELDS, FundArrival, Project, ProjectUpdate
from projects.scoreboard import default_scoreboard_year, scoreboard, scoreboard_years
from projects.selectors import NO_ACTIVITY, known_sum, stalled_projects
from projects.services import project_create, project_move_stage
from projects.tables import (
    FundArrivalTable,
    ProjectTable,
    ProjectUpdateTable,
    key_badges,
    key_levels_text,
)
from projects.timing import SIZE_BANDS, comparable_rule, size_band, stage_timeline

# What a card of the board shows.
CARD_FIELDS = (
    "pk",
    "version",
    "name",
    "investor",
    "stage",
    "contract_investment",
    "is_sample",
    *KEY_LEVEL_FIELDS.values(),
)


def next_stage(stage: str) -> str | None:
    """The stage a project moves on to, or None at full production or when dropped."""
    if stage not in STAGE_ORDER or stage == STAGE_ORDER[-1]:
        return None
    return STAGE_ORDER[STAGE_ORDER.index(stage) + 1]


# --- projects -------------------------------------------------------------------------------------------------


class ProjectListView(ObjectListView):
    model = Project
    table_class = ProjectTable
    filterset_class = ProjectFilterSet
    export_name = "projects"
    template_name = "projects/project_list.html"


@dataclass
class ArrivalRow:
    arrival: FundArrival
    cumulative: Decimal
    rate: Decimal | None  # cumulative ÷ contract investment, in %


def arrival_rows(project: Project, arrivals) -> list[ArrivalRow]:
    """Fund arrivals oldest first, each with the running total and the share of the contract investment so far."""
    rows, cumulative = [], Decimal(0)
    contract = project.contract_investment
    for arrival in sorted(arrivals, key=lambda a: (a.arrived_on, a.pk)):
        cumulative += arrival.amount
        rate = cumulative / contract * 100 if contract else None
        rows.append(ArrivalRow(arrival, cumulative, rate))
    return rows


class ProjectDetailView(ObjectDetailView):
    model = Project
    queryset = Project.objects.select_related("enterprise", "cluster", "park", "liaison")
    template_name = "projects/project_detail.html"

    # Every editable field; the four key-project flags read as one line after the park.
    fields = [name for name in ProjectForm.Meta.fields if name not in KEY_LEVEL_FIELDS.values()] + ["is_sample"]

    def detail_rows(self):
        rows = super().detail_rows()
        for at, name in enumerate(self.fields):
            if name in MONEY_FIELDS:  # labelled in 万元: read as 12,000.00
                rows[at] = (rows[at][0], Column(name, kind=NUMBER).display(getattr(self.object, name)))
        key = Column("key").display(key_levels_text(self.object))
        rows.insert(self.fields.index("park") + 1, (_("key project"), key))
        return rows

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        project = self.object
        user = self.request.user
        rows = arrival_rows(project, project.fund_arrivals.all())
        context.update(
            stage_changes=list(project.stage_changes.select_related("recorded_by").order_by("on", "pk")),
            arrival_rows=rows,
            funds_total=rows[-1].cumulative if rows else Decimal(0),
            arrival_rate=rows[-1].rate if rows else None,
            updates=list(project.updates.select_related("author")),
            **stalled_state(project),
            key_badges=key_badges(project),
            next_stage=next_stage(project.stage),
            can_add_arrival=user.has_perm("projects.add_fundarrival"),
            can_change_arrival=user.has_perm("projects.change_fundarrival"),
            can_add_update=user.has_perm("projects.add_projectupdate"),
            can_change_update=user.has_perm("projects.change_projectupdate"),
            stalled_days=settings.PROJECT_STALLED_DAYS,
            timeline=stage_timeline(project),
            comparable_rule=comparable_rule(),
            size_band=SIZE_BANDS[size_band(project.contract_investment)],
        )
        if context["can_change"]:
            initial = {"stage": context["next_stage"] or "", "on": timezone.localdate(), "version": project.version}
            context.setdefault("move_form", StageMoveForm(initial=initial))
        return context


def stalled_state(project: Project) -> dict:
    """Whether the project is stalled (projects.selectors.stalled_projects) and since its last activity when."""
    since = stalled_projects().filter(pk=project.pk).values_list("last_activity", flat=True).first()
    return {"stalled": since is not None, "stalled_since": since if since != NO_ACTIVITY else None}


class ProjectEditView(ObjectEditView):
    """Edit a project, or create one: a new project goes through projects.services.project_create so that its
    stage log starts with it."""

    model = Project
    template_name = "projects/project_form.html"

    def get_form_class(self):
        return ProjectForm if self.object else ProjectCreateForm

    def perform(self, form):
        if self.object is not None:
            return super().perform(form)
        data = form.cleaned_data
        return project_create(
            project=form.save(commit=False),
            on=data["stage_on"],
            stage=data["stage"],
            note=data["stage_note"].strip(),
            user=self.request.user,
        )


class ProjectDeleteView(ObjectDeleteView):
    model = Project


class ProjectMoveView(StepView, ProjectDetailView):
    """POST: move a project along the pipeline (from its page or from a card of the board)."""

    permission_action = "change"
    http_method_names = ["post"]
    form_class = StageMoveForm
    form_context_name = "move_form"
    invalid_status = 400
    conflict_text = gettext_lazy(
        "%(who)s changed this project after you opened it; nothing was saved. Read its stage again and repeat the move."
    )

    def perform(self, form):
        data = form.cleaned_data
        return project_move_stage(
            project=self.object,
            stage=data["stage"],
            on=data["on"],
            note=data["note"],
            correction=data["correction"],
            user=self.request.user,
            expected_version=data["version"],
        )

    def succeeded(self, result, form):
        self.object.refresh_from_db()
        messages.success(
            self.request,
            _("“%(project)s” is now at the stage “%(stage)s”.")
            % {"project": self.object, "stage": self.object.get_stage_display()},
        )
        return redirect(safe_next(self.request, form.cleaned_data["next"], self.object.get_absolute_url()))

    def render_form(self, form, *, status, **context):
        # The page shows the project as it now stands, not as the refused move left it.
        self.object.refresh_from_db()
        return super().render_form(form, status=status, **context)


class ProjectBoardView(ModelPermissionMixin, TemplateView):
    """The pipeline board: a column per stage with its count and contract investment, a card per project.

    Its queries do not grow with the number of projects: one for the cards (counts and amounts are summed from
    them), one for the stalled ones, and the filters' choices.
    """

    model = Project
    template_name = "projects/project_board.html"
    filters = ("q", "park", "cluster", "key_level", "band")
    cards_per_stage = 60

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        cards = Project.objects.only(*CARD_FIELDS)
        filterset = ProjectFilterSet(self.request.GET or None, queryset=cards, request=self.request)
        projects = list(filterset.qs.order_by())
        stalled = set(stalled_projects().values_list("pk", flat=True))
        by_stage: dict[str, list[Project]] = {stage: [] for stage in [*STAGE_ORDER, Stage.DROPPED]}
        for project in projects:
            project.stalled = project.pk in stalled
            project.badges = key_badges(project)
            by_stage.setdefault(project.stage, []).append(project)
        columns = []
        for stage, cards in by_stage.items():
            cards.sort(key=lambda p: (not p.is_key, -(p.contract_investment or 0), p.name, p.pk))
            columns.append(
                {
                    "stage": stage,
                    "label": Stage(stage).label,
                    "count": len(cards),
                    "amount": known_sum(
                        sum((p.contract_investment or 0 for p in cards), Decimal(0)),
                        len(cards),
                        sum(p.contract_investment is None for p in cards),
                    ),
                    "amount_missing": sum(p.contract_investment is None for p in cards),
                    "stalled": sum(p.stalled for p in cards),
                    "cards": cards[: self.cards_per_stage],
                    "more": max(0, len(cards) - self.cards_per_stage),
                    "next_stage": next_stage(stage),
                    "next_label": Stage(next_stage(stage)).label if next_stage(stage) else None,
                }
            )
        live = [column for column in columns if column["stage"] != Stage.DROPPED]
        context.update(
            filterset=filterset,
            filter_fields=[filterset.form[name] for name in self.filters],
            columns=live,
            dropped=columns[-1],
            total_count=sum(column["count"] for column in live),
            total_amount=sum((column["amount"] or 0 for column in live), Decimal(0)),
            total_missing=sum(column["amount_missing"] for column in live),
            today=timezone.localdate(),
            filtered=any(v for k, v in self.request.GET.items()),
        )
        return context


class ScoreboardView(ModelPermissionMixin, TemplateView):
    """The scheduling meeting's scoreboards (projects.scoreboard) for a year, on the page or as XLSX."""

    model = Project
    template_name = "projects/project_scoreboard.html"

    def get(self, request, *args, **kwargs):
        self.years = scoreboard_years()
        wanted = request.GET.get("year", "")
        self.year = int(wanted) if wanted.isdigit() and int(wanted) in self.years else default_scoreboard_year()
        self.board = scoreboard(self.year)
        if request.GET.get("export") == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def headers(self) -> list[str]:
        return [
            _("scoreboard"),
            _("name"),
            _("signed"),
            _("started"),
            _("in production"),
            _("funds arrived (CNY 10k)"),
            _("year's target (CNY 10k)"),
            _("target completion (%)"),
            _("stalled now"),
        ]

    def export(self):
        board = self.board

        def cells(row):
            figures = row.figures
            funds = [figures["signed"], figures["started"], figures["production"], figures["funds"]]
            return [*funds, row.target, row.target_pct, figures["stalled"]]

        rows = [[_("park"), "　" * row.depth + row.label, *cells(row)] for row in board.parks]
        rows += [[_("liaison officer"), row.label, *cells(row)] for row in board.liaisons]
        rows.append([_("whole zone"), "", *cells(board.total)])
        kinds = [TEXT, TEXT, NUMBER, NUMBER, NUMBER, MONEY, MONEY, NUMBER, NUMBER]
        name = exports.export_filename(f"scoreboard-{self.year}")
        audit.record_list_export(self.request, str(_("Scoreboards")), "xlsx", len(rows))
        return exports.rows_xlsx_response(self.headers(), rows, kinds, name)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # On the page money shows in 万元 or 亿元 as it reads best, so its headers name no unit. Targets are per park:
        # the liaison officers' table has none.
        headers = self.headers()
        liaison_headers = [*headers[2:5], _("funds arrived"), headers[8]]
        park_headers = [*liaison_headers[:4], _("year's target"), _("completion"), headers[8]]
        context.update(
            board=self.board,
            years=self.years,
            year=self.year,
            headers=liaison_headers,
            park_headers=park_headers,
        )
        return context


# --- fund arrivals and progress notes ------------------------------------------------------------------------


class BackToProjectMixin:
    """After saving or deleting a project's money or note, go back to the project's page."""

    def form_valid(self, form):
        project = self.object.project if self.object else None
        response = super().form_valid(form)
        if response.status_code == 302:
            return redirect((project or self.object.project).get_absolute_url())
        return response


class FundArrivalListView(ObjectListView):
    model = FundArrival
    table_class = FundArrivalTable
    filterset_class = FundArrivalFilterSet
    export_name = "fund-arrivals"


class FundArrivalDetailView(ObjectDetailView):
    model = FundArrival
    queryset = FundArrival.objects.select_related("project")
    template_name = "projects/project_record_detail.html"


class FundArrivalEditView(BackToProjectMixin, ObjectEditView):
    model = FundArrival
    form_class = FundArrivalForm


class FundArrivalDeleteView(BackToProjectMixin, ObjectDeleteView):
    model = FundArrival


class ProjectUpdateListView(ObjectListView):
    model = ProjectUpdate
    table_class = ProjectUpdateTable
    filterset_class = ProjectUpdateFilterSet
    export_name = "project-updates"


class ProjectUpdateDetailView(ObjectDetailView):
    model = ProjectUpdate
    queryset = ProjectUpdate.objects.select_related("project", "author")
    template_name = "projects/project_record_detail.html"
    fields = ["project", "on", "text", "is_problem", "author"]


class ProjectUpdateEditView(BackToProjectMixin, ObjectEditView):
    model = ProjectUpdate
    form_class = ProjectUpdateForm

    def form_valid(self, form):
        if form.instance.pk is None:
            form.instance.author = self.request.user
        return super().form_valid(form)


class ProjectUpdateDeleteView(BackToProjectMixin, ObjectDeleteView):
    model = ProjectUpdate


# --- the pipeline page ---------------------------------------------------------------------------------------


def list_url(base: str, **params) -> str:
    """The project list (at `base`) filtered by `params` (empty values left out)."""
    query = urlencode({key: value for key, value in params.items() if value not in (None, "")})
    return base + (f"?{query}" if query else "")


LEAD_TIME_NAMES = {
    "signed_to_construction": gettext_lazy("signing → construction"),
    "construction_to_production": gettext_lazy("construction → production"),
    "signed_to_production": gettext_lazy("signing → production"),
}
# What each lead time's projects reached (the list's `reached` filter), besides being signed.
LEAD_TIME_REACHED = {
    "signed_to_construction": Stage.CONSTRUCTION,
    "construction_to_production": Stage.PRODUCTION,
    "signed_to_production": Stage.PRODUCTION,
}
# The project list's filter for each grouping of the lead times.
GROUP_FILTER = {"park": "park", "cluster": "cluster", "level": "key_level", "origin": "investor_origin"}


def add_drill_downs(figures: dict, scope: analytics.Scope) -> None:
    """Give every figure the URL of the project list that shows exactly the projects it counts."""
    base = scope.query()
    url = functools.partial(list_url, reverse("projects:project_list"))  # reversed once, not for every figure
    for row in figures["cohorts"]:
        cohort = {**base, "signed_year": row["year"]}
        for cell in row["started_within"]:
            cell["url"] = url(**cohort, started_within=cell["months"])
        row["urls"] = {
            "signed": url(**cohort),
            "production": url(**cohort, reached=Stage.PRODUCTION),
            "dropped": url(**cohort, stage=Stage.DROPPED),
            "waiting": url(**cohort, stage=Stage.SIGNED),
        }
    for grouping, rows in figures["lead_times"].items():
        for row in [rows] if grouping == "all" else rows:
            # A group without a code is the projects without a cluster or an origin: the list's "none".
            group = {} if grouping == "all" else {GROUP_FILTER[grouping]: row["code"] or analytics.UNASSIGNED}
            row["urls"] = {
                key: url(**{**base, **group}, signed="true", reached=LEAD_TIME_REACHED[key]) for key in LEAD_TIME_NAMES
            }
    for grouping, rows in figures["lead_times"].items():
        for row in [rows] if grouping == "all" else rows:
            row["cells"] = [{**row[key], "url": row["urls"][key]} for key in LEAD_TIME_NAMES]
    for row in figures["funds"]:
        row["url"] = url(**base, signed_year=row["year"])
    stalled = scope.query(signed_window=False)
    figures["stalled_url"] = url(**{"key_level": analytics.ANY_KEY, **stalled}, stalled="true")


class ProjectAnalyticsView(ModelPermissionMixin, TemplateView):
    """/projects/analytics/: conversion by signing year, lead times, the 到位率 curve and the stalled key projects
    (projects.analytics), each figure linked to the projects it counts."""

    model = Project
    template_name = "projects/project_analytics.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = AnalyticsForm(self.request.GET or None)
        scope = form.scope()
        figures = analytics.cached_pipeline_analytics(scope)
        add_drill_downs(figures, scope)
        lead = figures["lead_times"]
        groupings = [
            ("park", _("By park (with its sub-parks)")),
            ("cluster", _("By industry cluster")),
            ("level", _("By key-project list")),
            ("origin", _("By investor origin")),
        ]
        context.update(
            form=form,
            filtered=any(self.request.GET.values()),
            figures=figures,
            lead_names=LEAD_TIME_NAMES,
            # The first table opens with the row of every counted project.
            lead_groups=[
                (key, title, [{**lead["all"], "name": _("All counted"), "is_all": True}] * (index == 0) + lead[key])
                for index, (key, title) in enumerate(groupings)
            ],
            started_within=analytics.STARTED_WITHIN,
            funds_after=analytics.FUNDS_AFTER,
            stalled_days=settings.PROJECT_STALLED_DAYS,
            charts={
                "cohorts": figure_data(charts.cohort_chart(figures["cohorts"])),
                "lead_times": figure_data(charts.lead_time_chart(lead["cluster"], LEAD_TIME_NAMES)),
                "funds": figure_data(charts.funds_curve_chart(figures["funds"])),
            },
        )
        return context
