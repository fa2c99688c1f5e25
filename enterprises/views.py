from enterprises.filtersets import EnterpriseFilterSet, IndustryClusterFilterSet, ParkFilterSet
from enterprises.forms import EnterpriseForm, IndustryClusterForm, ParkForm
from enterprises.models import Enterprise, IndustryCluster, Park
from enterprises.tables import EnterpriseTable, IndustryClusterTable, ParkTable
from parkadmin.generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView


class ParkListView(ObjectListView):
    model = Park
    table_class = ParkTable
    filterset_class = ParkFilterSet
    export_name = "parks"


class ParkDetailView(ObjectDetailView):
    model = Park
    queryset = Park.objects.select_related("parent")
    template_name = "enterprises/park_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["children"] = self.object.children.all()
        return context


class ParkEditView(ObjectEditView):
    model = Park
    form_class = ParkForm


class ParkDeleteView(ObjectDeleteView):
    model = Park


class IndustryClusterListView(ObjectListView):
    model = IndustryCluster
    table_class = IndustryClusterTable
    filterset_class = IndustryClusterFilterSet
    export_name = "clusters"


class IndustryClusterDetailView(ObjectDetailView):
    model = IndustryCluster


class IndustryClusterEditView(ObjectEditView):
    model = IndustryCluster
    form_class = IndustryClusterForm


class IndustryClusterDeleteView(ObjectDeleteView):
    model = IndustryCluster


class EnterpriseListView(ObjectListView):
    model = Enterprise
    table_class = EnterpriseTable
    filterset_class = EnterpriseFilterSet
    export_name = "enterprises"


class EnterpriseDetailView(ObjectDetailView):
    model = Enterprise
    queryset = Enterprise.objects.select_related("cluster", "park", "liaison")
    template_name = "enterprises/enterprise_detail.html"


class EnterpriseEditView(ObjectEditView):
    model = Enterprise
    form_class = EnterpriseForm


class EnterpriseDeleteView(ObjectDeleteView):
    model = Enterprise
