import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from enterprises.choices import (
    ACTIVE_STATUSES,
    UNRESOLVED_STATUSES,
    EnterpriseStatus,
    IncubationStatus,
    Level,
    ListingStage,
    PlatformKind,
    ProblemCategory,
    ProblemStatus,
    QualificationKind,
    SizeClass,
)
from enterprises.models import (
    Enterprise,
    EnterpriseYear,
    Incubation,
    Incubator,
    Qualification,
    ResearchPlatform,
    ServiceRequest,
    incubating_on_q,
    overdue_q,
)
from parkadmin.filters import BaseFilterSet, YesNoFilter
from parks.filtersets import ParkTreeFilter
from parks.models import IndustryCluster


class EnterpriseIdFilter(django_filters.NumberFilter):
    """`?enterprise=<id>`: links from an enterprise's page and API clients use it; pages keep it hidden."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("field_name", "enterprise_id")
        kwargs.setdefault("label", _("enterprise"))
        kwargs.setdefault("widget", forms.HiddenInput)
        super().__init__(*args, **kwargs)


class EnterpriseFilterSet(BaseFilterSet):
    search_fields = ("name", "short_name", "credit_code")

    cluster = django_filters.ModelChoiceFilter(
        queryset=IndustryCluster.objects.all(), to_field_name="code", label=_("industry cluster")
    )
    park = ParkTreeFilter()
    status = django_filters.ChoiceFilter(choices=EnterpriseStatus.choices, label=_("status"))
    in_zone = YesNoFilter(method="filter_in_zone", label=_("still in the zone"))
    size_class = django_filters.ChoiceFilter(choices=SizeClass.choices, label=_("size"))
    listing_stage = django_filters.ChoiceFilter(choices=ListingStage.choices, label=_("listing stage"))
    liaison = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.filter(is_active=True), label=_("liaison officer")
    )
    qualification = django_filters.ChoiceFilter(
        choices=QualificationKind.choices, method="filter_qualification", label=_("holds qualification")
    )
    qualified_in = django_filters.NumberFilter(
        method="filter_noop", label=_("qualification valid at the end of year"), min_value=1990, max_value=2100
    )
    is_sample = YesNoFilter(label=_("sample data"))

    class Meta:
        model = Enterprise
        fields = [
            "q",
            "cluster",
            "park",
            "status",
            "in_zone",
            "size_class",
            "listing_stage",
            "liaison",
            "qualification",
            "qualified_in",
            "is_sample",
        ]

    def filter_in_zone(self, queryset, name, value):
        in_zone = Q(status__in=ACTIVE_STATUSES)
        return queryset.filter(in_zone) if value else queryset.exclude(in_zone)

    def filter_qualification(self, queryset, name, value):
        """Enterprises holding `value` valid at the end of `qualified_in` (default: today)."""
        from enterprises.selectors import year_end

        year = self.form.cleaned_data.get("qualified_in")
        day = year_end(int(year)) if year else timezone.localdate()
        holders = Qualification.objects.valid_on(day).filter(kind=value).values("enterprise_id")
        return queryset.filter(pk__in=holders)

    def filter_noop(self, queryset, name, value):
        # Read by filter_qualification; on its own it filters nothing.
        return queryset


class QualificationFilterSet(BaseFilterSet):
    search_fields = ("enterprise__name", "certificate_no")

    kind = django_filters.ChoiceFilter(choices=QualificationKind.choices, label=_("kind"))
    enterprise = EnterpriseIdFilter()
    valid_on = django_filters.DateFilter(method="filter_valid_on", label=_("valid on"))
    expiring_within = django_filters.NumberFilter(
        method="filter_expiring", label=_("expiring within (days)"), min_value=0, max_value=3650
    )

    class Meta:
        model = Qualification
        fields = ["q", "kind", "enterprise", "valid_on", "expiring_within"]

    def filter_valid_on(self, queryset, name, value):
        return queryset.valid_on(value)

    def filter_expiring(self, queryset, name, value):
        return queryset.expiring_within(int(value))


class ResearchPlatformFilterSet(BaseFilterSet):
    search_fields = ("name", "enterprise__name")

    kind = django_filters.ChoiceFilter(choices=PlatformKind.choices, label=_("kind"))
    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("level"))
    enterprise = EnterpriseIdFilter()

    class Meta:
        model = ResearchPlatform
        fields = ["q", "kind", "level", "enterprise"]


class EnterpriseYearFilterSet(BaseFilterSet):
    search_fields = ("enterprise__name", "enterprise__credit_code")

    year = django_filters.NumberFilter(label=_("year"), min_value=1990, max_value=2100)
    enterprise = EnterpriseIdFilter()
    cluster = django_filters.ModelChoiceFilter(
        field_name="enterprise__cluster",
        queryset=IndustryCluster.objects.all(),
        to_field_name="code",
        label=_("industry cluster"),
    )
    park = ParkTreeFilter(path="enterprise__park")

    class Meta:
        model = EnterpriseYear
        fields = ["q", "year", "cluster", "park", "enterprise"]


class IncubatorFilterSet(BaseFilterSet):
    search_fields = ("name", "operator")

    level = django_filters.ChoiceFilter(choices=Level.choices, label=_("level"))
    park = ParkTreeFilter()

    class Meta:
        model = Incubator
        fields = ["q", "level", "park"]


class IncubationFilterSet(BaseFilterSet):
    search_fields = ("enterprise__name", "incubator__name")

    status = django_filters.ChoiceFilter(choices=IncubationStatus.choices, label=_("status"))
    incubator = django_filters.ModelChoiceFilter(queryset=Incubator.objects.all(), label=_("incubator"))
    enterprise = EnterpriseIdFilter()
    park = ParkTreeFilter(path="enterprise__park")
    entered_year = django_filters.NumberFilter(field_name="entered_on__year", label=_("year entered"))
    left_year = django_filters.NumberFilter(field_name="left_on__year", label=_("year left"))
    incubating_at = django_filters.NumberFilter(
        method="filter_incubating_at", label=_("incubating at the end of year"), min_value=1990, max_value=2100
    )

    class Meta:
        model = Incubation
        fields = ["q", "status", "incubator", "park", "enterprise", "entered_year", "left_year", "incubating_at"]

    def filter_incubating_at(self, queryset, name, value):
        from enterprises.selectors import year_end

        return queryset.filter(incubating_on_q(year_end(int(value))))


UNRESOLVED = "unresolved"  # open or in progress: what staff still owe an answer on


class ServiceRequestFilterSet(BaseFilterSet):
    search_fields = ("title", "description", "enterprise__name")

    status = django_filters.MultipleChoiceFilter(
        choices=[(UNRESOLVED, _("Unresolved")), *ProblemStatus.choices],
        method="filter_status",
        widget=forms.CheckboxSelectMultiple,
        label=_("status"),
    )
    category = django_filters.ChoiceFilter(choices=ProblemCategory.choices, label=_("category"))
    assignee = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.filter(is_active=True), label=_("assignee")
    )
    park = ParkTreeFilter(path="enterprise__park")
    enterprise = EnterpriseIdFilter()
    overdue = YesNoFilter(method="filter_overdue", label=pgettext_lazy("filter", "overdue"))
    raised_year = django_filters.NumberFilter(field_name="raised_on__year", label=_("year raised"))

    class Meta:
        model = ServiceRequest
        fields = ["q", "status", "category", "park", "assignee", "overdue", "raised_year", "enterprise"]

    def filter_status(self, queryset, name, value):
        statuses = set(value)
        if UNRESOLVED in statuses:
            statuses |= set(UNRESOLVED_STATUSES)
        return queryset.filter(status__in=statuses - {UNRESOLVED})

    def filter_overdue(self, queryset, name, value):
        return queryset.filter(overdue_q()) if value else queryset.exclude(overdue_q())
