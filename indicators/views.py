from django.shortcuts import get_object_or_404

from indicators.filtersets import IndicatorFilterSet, IndicatorValueFilterSet, TargetFilterSet
from indicators.models import Indicator, IndicatorValue, Target
from indicators.tables import IndicatorTable, IndicatorValueTable, TargetTable
from parkadmin.generic import ObjectDetailView, ObjectListView


class IndicatorListView(ObjectListView):
    model = Indicator
    table_class = IndicatorTable
    filterset_class = IndicatorFilterSet
    export_name = "indicators"


class IndicatorDetailView(ObjectDetailView):
    """An indicator is addressed by its code (/indicators/fiscal_revenue/), as in the API."""

    model = Indicator

    def get_object(self, queryset=None):
        return get_object_or_404(Indicator, code=self.kwargs["code"])


class IndicatorValueListView(ObjectListView):
    model = IndicatorValue
    table_class = IndicatorValueTable
    filterset_class = IndicatorValueFilterSet
    export_name = "indicator-values"


class IndicatorValueDetailView(ObjectDetailView):
    model = IndicatorValue
    queryset = IndicatorValue.objects.select_related("indicator", "park", "entered_by", "approved_by")


class TargetListView(ObjectListView):
    model = Target
    table_class = TargetTable
    filterset_class = TargetFilterSet
    export_name = "targets"


class TargetDetailView(ObjectDetailView):
    model = Target
    queryset = Target.objects.select_related("indicator", "park")
