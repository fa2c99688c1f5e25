"""The pages of the zone's parks and industry clusters: the generic list, detail, edit and delete pages."""

from parkadmin.generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView
from parks.filtersets import IndustryClusterFilterSet, ParkFilterSet
from parks.forms import IndustryClusterForm, ParkForm
from parks.models import IndustryCluster, Park
from parks.tables import IndustryClusterTable, ParkTable


class ParkListView(ObjectListView):
    model = Park
    table_class = ParkTable
    filterset_class = ParkFilterSet
    export_name = "parks"


class ParkDetailView(ObjectDetailView):
    model = Park
    queryset = Park.objects.select_related("parent")
    template_name = "parks/park_detail.html"

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
