from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from parkadmin.forms import safe_next
from parkadmin.generic import (
    ModelPermissionMixin,
    ObjectDeleteView,
    ObjectDetailView,
    ObjectEditView,
    ObjectListView,
    StepView,
)
from parkadmin.tables import NUMBER, Column
from projects.choices import STAGE_ORDER, Stage
from projects.filtersets import FundArrivalFilterSet, ProjectFilterSet, ProjectUpdateFilterSet
from projects.forms import (
    MONEY_FIELDS,
    FundArrivalForm,
    ProjectCreateForm,
    ProjectForm,
    ProjectUpdateForm,
    StageMoveForm,
)
from projects.models import KEY_LEVEL_FIELDS, FundArrival, Project, ProjectUpdate
from projects.selectors import NO_ACTIVITY, known_sum, stalled_projects
from projects.services import project_create, project_move_stage
from projects.tables import (
    FundArrivalTable,
    ProjectTable,
    ProjectUpdateTable,
    key_badges,
    key_levels_text,
)

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
