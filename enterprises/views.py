from django.contrib import messages
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enterprises.charts import yearly_figures_chart
from enterprises.filtersets import (
    EnterpriseFilterSet,
    EnterpriseYearFilterSet,
    IncubationFilterSet,
    IncubatorFilterSet,
    QualificationFilterSet,
    ResearchPlatformFilterSet,
    ServiceRequestFilterSet,
)
from enterprises.forms import (
    EnterpriseForm,
    EnterpriseYearForm,
    IncubationForm,
    IncubatorForm,
    QualificationForm,
    ResearchPlatformForm,
    ServiceRequestForm,
    ServiceRequestMoveForm,
)
from enterprises.models import (
    Enterprise,
    EnterpriseYear,
    Incubation,
    Incubator,
    Qualification,
    ResearchPlatform,
    ServiceRequest,
)
from enterprises.selectors import enterprise_related
from enterprises.services import PROBLEM_MOVES, service_request_move
from enterprises.tables import (
    EnterpriseTable,
    EnterpriseYearTable,
    IncubationTable,
    IncubatorTable,
    QualificationTable,
    ResearchPlatformTable,
    ServiceRequestTable,
)
from parkadmin.charts import figure_data
from parkadmin.generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView, StepView


class EnterpriseListView(ObjectListView):
    model = Enterprise
    table_class = EnterpriseTable
    filterset_class = EnterpriseFilterSet
    export_name = "enterprises"


class EnterpriseDetailView(ObjectDetailView):
    model = Enterprise
    queryset = Enterprise.objects.select_related("cluster", "park", "liaison")
    template_name = "enterprises/enterprise_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        related = enterprise_related(self.object)
        figure_labels = [EnterpriseYear._meta.get_field(name).verbose_name for name in EnterpriseYear.FIGURES]
        context.update(related, figure_labels=figure_labels)
        rows = [(r.year, r.record.revenue, r.record.industrial_output) for r in related["year_rows"]]
        if rows:
            context["years_chart"] = figure_data(yearly_figures_chart(rows))
        # Who may add what is read in the template from `perms`; the projects are read only for those who may see them.
        if self.request.user.has_perm("projects.view_project"):
            context["projects"] = list(self.object.projects.all())
        return context


class EnterpriseEditView(ObjectEditView):
    model = Enterprise
    form_class = EnterpriseForm


class EnterpriseDeleteView(ObjectDeleteView):
    model = Enterprise


class QualificationListView(ObjectListView):
    model = Qualification
    table_class = QualificationTable
    filterset_class = QualificationFilterSet
    export_name = "qualifications"


class QualificationDetailView(ObjectDetailView):
    model = Qualification
    parent_field = "enterprise"
    queryset = Qualification.objects.select_related("enterprise")


class QualificationEditView(ObjectEditView):
    model = Qualification
    parent_field = "enterprise"
    form_class = QualificationForm


class QualificationDeleteView(ObjectDeleteView):
    model = Qualification


class ResearchPlatformListView(ObjectListView):
    model = ResearchPlatform
    table_class = ResearchPlatformTable
    filterset_class = ResearchPlatformFilterSet
    export_name = "research-platforms"


class ResearchPlatformDetailView(ObjectDetailView):
    model = ResearchPlatform
    parent_field = "enterprise"
    queryset = ResearchPlatform.objects.select_related("enterprise")


class ResearchPlatformEditView(ObjectEditView):
    model = ResearchPlatform
    parent_field = "enterprise"
    form_class = ResearchPlatformForm


class ResearchPlatformDeleteView(ObjectDeleteView):
    model = ResearchPlatform


class EnterpriseYearListView(ObjectListView):
    model = EnterpriseYear
    table_class = EnterpriseYearTable
    filterset_class = EnterpriseYearFilterSet
    export_name = "enterprise-years"


class EnterpriseYearDetailView(ObjectDetailView):
    model = EnterpriseYear
    parent_field = "enterprise"
    queryset = EnterpriseYear.objects.select_related("enterprise")


class EnterpriseYearEditView(ObjectEditView):
    model = EnterpriseYear
    parent_field = "enterprise"
    form_class = EnterpriseYearForm


class EnterpriseYearDeleteView(ObjectDeleteView):
    model = EnterpriseYear


class IncubatorListView(ObjectListView):
    model = Incubator
    table_class = IncubatorTable
    filterset_class = IncubatorFilterSet
    export_name = "incubators"


class IncubatorDetailView(ObjectDetailView):
    model = Incubator
    queryset = Incubator.objects.select_related("park")
    template_name = "enterprises/incubator_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["occupants"] = self.object.incubations.select_related("enterprise").order_by("status", "-entered_on")
        return context


class IncubatorEditView(ObjectEditView):
    model = Incubator
    form_class = IncubatorForm


class IncubatorDeleteView(ObjectDeleteView):
    model = Incubator


class IncubationListView(ObjectListView):
    model = Incubation
    table_class = IncubationTable
    filterset_class = IncubationFilterSet
    export_name = "incubations"


class IncubationDetailView(ObjectDetailView):
    model = Incubation
    parent_field = "enterprise"
    queryset = Incubation.objects.select_related("enterprise", "incubator")


class IncubationEditView(ObjectEditView):
    model = Incubation
    parent_field = "enterprise"
    form_class = IncubationForm


class IncubationDeleteView(ObjectDeleteView):
    model = Incubation


class ServiceRequestListView(ObjectListView):
    model = ServiceRequest
    table_class = ServiceRequestTable
    filterset_class = ServiceRequestFilterSet
    export_name = "enterprise-problems"


class ServiceRequestDetailView(ObjectDetailView):
    model = ServiceRequest
    parent_field = "enterprise"
    queryset = ServiceRequest.objects.select_related("enterprise", "assignee")
    template_name = "enterprises/servicerequest_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        request = self.object
        context["moves"] = sorted(PROBLEM_MOVES[request.status]) if context["can_change"] else []
        context.setdefault(
            "move_form",
            ServiceRequestMoveForm(
                initial={
                    "version": request.version,
                    "resolved_on": timezone.localdate(),
                    "closed_on": timezone.localdate(),
                }
            ),
        )
        return context


class ServiceRequestEditView(ObjectEditView):
    model = ServiceRequest
    parent_field = "enterprise"
    form_class = ServiceRequestForm


class ServiceRequestDeleteView(ObjectDeleteView):
    model = ServiceRequest


class ServiceRequestMoveView(StepView, ServiceRequestDetailView):
    """POST: move a problem to another status (start, resolve = 销号, close, reopen).

    409 for a stale step (as every edit page), 400 for a step the rules refuse."""

    permission_action = "change"
    http_method_names = ["post"]
    form_class = ServiceRequestMoveForm
    form_context_name = "move_form"
    invalid_status = 400
    conflict_text = gettext_lazy(
        "%(who)s changed this problem after you opened it; nothing was saved. Read it again and repeat your step."
    )
    unknown_editor = "—"

    def perform(self, form):
        data = form.cleaned_data
        return service_request_move(
            request=self.object,
            expected_version=data["version"],
            status=data["status"],
            resolution=data["resolution"],
            resolved_on=data["resolved_on"],
            confirmation=data["confirmation"],
            satisfaction=data["satisfaction"],
            closed_on=data["closed_on"],
        )

    def succeeded(self, result, form):
        messages.success(
            self.request,
            _("“%(title)s” is now %(status)s.") % {"title": self.object, "status": self.object.get_status_display()},
        )
        return redirect(self.object.get_absolute_url())

    def render_form(self, form, *, status, **context):
        # The page shows the problem as it now stands, not as the refused move left it.
        self.object.refresh_from_db()
        return super().render_form(form, status=status, **context)
