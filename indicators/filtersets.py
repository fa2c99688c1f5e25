import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.choices import Category, Kind, ValueStatus
from indicators.models import Indicator, IndicatorValue, Target
from parkadmin.filters import BaseFilterSet, YesNoFilter
from parks.models import Park


class IndicatorFilterSet(BaseFilterSet):
    search_fields = ("code", "name", "name_en")

    category = django_filters.ChoiceFilter(choices=Category.choices, label=_("category"))
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label=_("kind"))
    is_headline = YesNoFilter(label=_("headline (dashboard card)"))

    class Meta:
        model = Indicator
        fields = ["q", "category", "kind", "is_headline"]


class ParkOrZoneFilter(django_filters.ModelChoiceFilter):
    """`?park=CODE` for one park's values; without it, every park and the whole zone."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("queryset", Park.objects.all())
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("label", _("park"))
        super().__init__(*args, **kwargs)


class PerParkYearFilterSet(BaseFilterSet):
    search_fields = ("indicator__code", "indicator__name", "source", "note")

    indicator = django_filters.ModelChoiceFilter(
        queryset=Indicator.objects.all(), to_field_name="code", label=_("indicator")
    )
    park = ParkOrZoneFilter()
    whole_zone = YesNoFilter(field_name="park", lookup_expr="isnull", label=_("whole zone"))
    year = django_filters.NumberFilter(label=_("year"), min_value=1990, max_value=2100)
    category = django_filters.ChoiceFilter(
        field_name="indicator__category", choices=Category.choices, label=_("category")
    )


class IndicatorValueFilterSet(PerParkYearFilterSet):
    # The value's own column: each value matches once, so no DISTINCT (a sort of every match before paging).
    status = django_filters.MultipleChoiceFilter(
        choices=ValueStatus.choices, widget=forms.CheckboxSelectMultiple, label=_("status"), distinct=False
    )

    class Meta:
        model = IndicatorValue
        fields = ["q", "indicator", "park", "whole_zone", "year", "category", "status"]


class TargetFilterSet(PerParkYearFilterSet):
    class Meta:
        model = Target
        fields = ["q", "indicator", "park", "whole_zone", "year", "category"]
