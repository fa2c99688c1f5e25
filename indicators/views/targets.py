"""Target pages: the list, a target's page, its form and delete."""

from __future__ import annotations

from indicators.filtersets import TargetFilterSet
from indicators.forms import TargetForm
from indicators.models import Target
from indicators.tables import TargetTable
from indicators.views.common import tidy_rows
from parkadmin.generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView


class TargetListView(ObjectListView):
    model = Target
    table_class = TargetTable
    filterset_class = TargetFilterSet
    export_name = "targets"


class TargetDetailView(ObjectDetailView):
    model = Target
    queryset = Target.objects.select_related("indicator", "park")

    fields = ["indicator", "park", "year", "value", "source", "note"]

    def detail_rows(self):
        return tidy_rows(self.object, self.fields, super().detail_rows())


class TargetEditView(ObjectEditView):
    model = Target
    form_class = TargetForm


class TargetDeleteView(ObjectDeleteView):
    model = Target
