import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from parkadmin.filters import BaseFilterSet, YesNoFilter
from parks.filtersets import ParkTreeFilter
from parks.models import IndustryCluster
from projects.choices import HUNDRED_MILLION, ONE_BILLION, InvestorOrigin, KeyLevel, Stage
from projects.models import KEY_LEVEL_FIELDS, FundArrival, Project, ProjectUpdate, StageChange

BANDS = {"100m": HUNDRED_MILLION, "1bn": ONE_BILLION}


class ProjectFilterSet(BaseFilterSet):
    search_fields = ("name", "investor", "enterprise__name")

    # A filter on the project's own column matches each project once: no DISTINCT, which would make the database
    # work out every annotated column of every match before it could take a page (and again to count).
    stage = django_filters.MultipleChoiceFilter(
        choices=Stage.choices, widget=forms.CheckboxSelectMultiple, label=_("stage"), distinct=False
    )
    cluster = django_filters.ModelChoiceFilter(
        queryset=IndustryCluster.objects.all(), to_field_name="code", label=_("industry cluster")
    )
    park = ParkTreeFilter()
    investor_origin = django_filters.ChoiceFilter(choices=InvestorOrigin.choices, label=_("investor origin"))
    key_level = django_filters.ChoiceFilter(choices=KeyLevel.choices, method="filter_key_level", label=_("key project"))
    signed_year = django_filters.NumberFilter(
        method="filter_signed_year", label=_("year signed"), min_value=1990, max_value=2100
    )
    band = django_filters.ChoiceFilter(
        choices=[("100m", _("≥ CNY 100m")), ("1bn", _("≥ CNY 1bn"))],
        method="filter_band",
        label=_("contract investment"),
    )
    stalled = YesNoFilter(method="filter_stalled", label=_("stalled"))
    enterprise = django_filters.NumberFilter(field_name="enterprise_id", widget=forms.HiddenInput)

    class Meta:
        model = Project
        fields = [
            "q",
            "stage",
            "cluster",
            "park",
            "investor_origin",
            "key_level",
            "signed_year",
            "band",
            "stalled",
            "enterprise",
        ]

    def filter_key_level(self, queryset, name, value):
        return queryset.filter(**{KEY_LEVEL_FIELDS[value]: True})

    def filter_signed_year(self, queryset, name, value):
        signed = StageChange.objects.filter(stage=Stage.SIGNED, superseded=False, on__year=int(value))
        return queryset.filter(pk__in=signed.values("project_id"))

    def filter_band(self, queryset, name, value):
        return queryset.filter(contract_investment__gte=BANDS[value])

    def filter_stalled(self, queryset, name, value):
        from projects.selectors import stalled_projects

        stalled = stalled_projects().values("pk")
        return queryset.filter(pk__in=stalled) if value else queryset.exclude(pk__in=stalled)


class StageChangeFilterSet(BaseFilterSet):
    search_fields = ("project__name", "note")

    project = django_filters.NumberFilter(field_name="project_id", label=_("project"))
    stage = django_filters.ChoiceFilter(choices=Stage.choices, label=_("stage"))
    year = django_filters.NumberFilter(field_name="on__year", label=_("year"))
    counted = YesNoFilter(field_name="superseded", exclude=True, label=_("still counts"))

    class Meta:
        model = StageChange
        fields = ["q", "project", "stage", "year", "counted"]


class FundArrivalFilterSet(BaseFilterSet):
    search_fields = ("project__name", "source", "note")

    project = django_filters.NumberFilter(field_name="project_id", widget=forms.HiddenInput, label=_("project"))
    year = django_filters.NumberFilter(field_name="arrived_on__year", label=_("year"))
    month = django_filters.NumberFilter(field_name="arrived_on__month", label=_("month"), min_value=1, max_value=12)
    park = ParkTreeFilter(path="project__park")
    investor_origin = django_filters.ChoiceFilter(
        field_name="project__investor_origin", choices=InvestorOrigin.choices, label=_("investor origin")
    )

    class Meta:
        model = FundArrival
        fields = ["q", "project", "year", "month", "park", "investor_origin"]


class ProjectUpdateFilterSet(BaseFilterSet):
    search_fields = ("project__name", "text")

    project = django_filters.NumberFilter(field_name="project_id", widget=forms.HiddenInput)
    is_problem = YesNoFilter(label=_("needs help"))
    year = django_filters.NumberFilter(field_name="on__year", label=_("year"))

    class Meta:
        model = ProjectUpdate
        fields = ["q", "project", "is_problem", "year"]
