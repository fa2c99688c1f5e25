import django_filters
from django import forms
from django.db.models import DateField, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils.translation import gettext_lazy as _

from parkadmin.filters import BaseFilterSet, YesNoFilter
from parks.filtersets import ParkTreeFilter
from parks.models import IndustryCluster
from projects.analytics import ANY_KEY, NOT_KEY, UNASSIGNED, key_filter
from projects.choices import HUNDRED_MILLION, ONE_BILLION, STAGE_ORDER, InvestorOrigin, KeyLevel, Stage
from projects.models import FundArrival, Project, ProjectUpdate, StageChange
from projects.timing import TIMED_STAGES, with_slower, with_timing

BANDS = {"100m": HUNDRED_MILLION, "1bn": ONE_BILLION}


class ProjectFilterSet(BaseFilterSet):
    search_fields = ("name", "investor", "enterprise__name")

    # A filter on the project's own column matches each project once: no DISTINCT, which would make the database
    # work out every annotated column of every match before it could take a page (and again to count).
    stage = django_filters.MultipleChoiceFilter(
        choices=Stage.choices, widget=forms.CheckboxSelectMultiple, label=_("stage"), distinct=False
    )
    # "none": the projects without one (the pipeline page's unassigned groups drill down to them).
    cluster = django_filters.ModelChoiceFilter(
        queryset=IndustryCluster.objects.all(),
        to_field_name="code",
        label=_("industry cluster"),
        null_label=_("Unassigned"),
        null_value=UNASSIGNED,
    )
    park = ParkTreeFilter()
    investor_origin = django_filters.ChoiceFilter(
        choices=[*InvestorOrigin.choices, (UNASSIGNED, _("Unassigned"))],
        method="filter_investor_origin",
        label=_("investor origin"),
    )
    key_level = django_filters.ChoiceFilter(
        choices=[*KeyLevel.choices, (ANY_KEY, _("On any key list")), (NOT_KEY, _("Not on a key list"))],
        method="filter_key_level",
        label=_("key project"),
    )
    signed_year = django_filters.NumberFilter(
        method="filter_signed_year", label=_("year signed"), min_value=1990, max_value=2100
    )
    # The pipeline page's drill-downs (projects.analytics states the rules these repeat).
    signed = YesNoFilter(method="filter_signed", label=_("signed"))
    signed_from = django_filters.DateFilter(method="filter_signed_from", label=_("signed from"))
    signed_to = django_filters.DateFilter(method="filter_signed_to", label=_("signed to"))
    started_within = django_filters.NumberFilter(
        method="filter_started_within", label=_("started within (months of signing)"), min_value=1, max_value=600
    )
    reached = django_filters.ChoiceFilter(
        choices=[(s.value, s.label) for s in STAGE_ORDER[2:]], method="filter_reached", label=_("reached")
    )
    band = django_filters.ChoiceFilter(
        choices=[("100m", _("≥ CNY 100m")), ("1bn", _("≥ CNY 1bn"))],
        method="filter_band",
        label=_("contract investment"),
    )
    stalled = YesNoFilter(method="filter_stalled", label=_("stalled"))
    slower = YesNoFilter(method="filter_slower", label=_("slower than median"))
    funds_below = django_filters.NumberFilter(
        method="filter_funds_below", label=_("funds arrived below (%)"), min_value=0, max_value=10_000
    )
    enterprise = django_filters.NumberFilter(field_name="enterprise_id", widget=forms.HiddenInput)
    # The scoreboard's drill-downs: moves of the year that count, and a liaison officer by user name.
    started_year = django_filters.NumberFilter(
        method="filter_started_year", widget=forms.HiddenInput, min_value=1990, max_value=2100
    )
    production_year = django_filters.NumberFilter(
        method="filter_production_year", widget=forms.HiddenInput, min_value=1990, max_value=2100
    )
    liaison = django_filters.CharFilter(field_name="liaison__username", widget=forms.HiddenInput, max_length=150)

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
            "signed",
            "signed_from",
            "signed_to",
            "started_within",
            "reached",
            "band",
            "stalled",
            "slower",
            "funds_below",
            "enterprise",
            "started_year",
            "production_year",
            "liaison",
        ]

    def filter_investor_origin(self, queryset, name, value):
        return queryset.filter(investor_origin="" if value == UNASSIGNED else value)

    def filter_key_level(self, queryset, name, value):
        return queryset.filter(key_filter(value))

    def filter_signed_year(self, queryset, name, value):
        return moved_in_year(queryset, Stage.SIGNED, value)

    def filter_started_year(self, queryset, name, value):
        return moved_in_year(queryset, Stage.CONSTRUCTION, value)

    def filter_production_year(self, queryset, name, value):
        return moved_in_year(queryset, Stage.PRODUCTION, value)

    def filter_slower(self, queryset, name, value):
        if "slower" not in queryset.query.annotations:
            queryset = with_slower(queryset)
        return queryset.filter(slower=True) if value else queryset.filter(slower=False, stage__in=TIMED_STAGES)

    def filter_funds_below(self, queryset, name, value):
        # A project without a contract investment has no ratio: it is never "below".
        if "funds_ratio_pct" not in queryset.query.annotations:
            queryset = with_timing(queryset)
        return queryset.filter(funds_ratio_pct__lt=float(value))

    def filter_signed(self, queryset, name, value):
        signed = StageChange.objects.filter(stage=Stage.SIGNED, superseded=False).values("project_id")
        return queryset.filter(pk__in=signed) if value else queryset.exclude(pk__in=signed)

    def filter_signed_from(self, queryset, name, value):
        signed = StageChange.objects.filter(stage=Stage.SIGNED, superseded=False, on__gte=value)
        return queryset.filter(pk__in=signed.values("project_id"))

    def filter_signed_to(self, queryset, name, value):
        signed = StageChange.objects.filter(stage=Stage.SIGNED, superseded=False, on__lte=value)
        return queryset.filter(pk__in=signed.values("project_id"))

    def filter_reached(self, queryset, name, value):
        """Entered `value` or a later stage of the pipeline, by a move that still counts."""
        later = STAGE_ORDER[STAGE_ORDER.index(value) :]
        reached = StageChange.objects.filter(stage__in=later, superseded=False)
        return queryset.filter(pk__in=reached.values("project_id"))

    def filter_started_within(self, queryset, name, value):
        """Reached construction on or before the same day `value` months after signing (the month's last day when
        it has none): its month comes before the signing month + `value`, or is that month with a day no later
        than the signing day."""
        months = int(value)
        counting = StageChange.objects.filter(project=OuterRef("pk"), superseded=False).order_by("on", "pk")
        signed = counting.filter(stage=Stage.SIGNED).values("on")[:1]
        started = counting.filter(stage__in=STAGE_ORDER[2:]).values("on")[:1]
        dates = Project.objects.annotate(
            signed_on=Subquery(signed, output_field=DateField()),
            started_on=Subquery(started, output_field=DateField()),
        ).annotate(
            signed_month=ExtractYear("signed_on") * 12 + ExtractMonth("signed_on"),
            started_month=ExtractYear("started_on") * 12 + ExtractMonth("started_on"),
        )
        within = dates.filter(
            Q(started_month__lt=F("signed_month") + months)
            | Q(started_month=F("signed_month") + months, started_on__day__lte=ExtractDay("signed_on"))
        )
        return queryset.filter(pk__in=within.values("pk"))

    def filter_band(self, queryset, name, value):
        return queryset.filter(contract_investment__gte=BANDS[value])

    def filter_stalled(self, queryset, name, value):
        from projects.selectors import stalled_projects

        stalled = stalled_projects().values("pk")
        return queryset.filter(pk__in=stalled) if value else queryset.exclude(pk__in=stalled)


def moved_in_year(queryset: QuerySet, stage: str, year) -> QuerySet:
    """The projects with a move to `stage` dated in `year` that still counts (as projects.selectors.moves counts)."""
    moved = StageChange.objects.filter(stage=stage, superseded=False, on__year=int(year))
    return queryset.filter(pk__in=moved.values("project_id"))


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
    liaison = django_filters.CharFilter(
        field_name="project__liaison__username", widget=forms.HiddenInput, max_length=150
    )

    class Meta:
        model = FundArrival
        fields = ["q", "project", "year", "month", "park", "investor_origin", "liaison"]


class ProjectUpdateFilterSet(BaseFilterSet):
    search_fields = ("project__name", "text")

    project = django_filters.NumberFilter(field_name="project_id", widget=forms.HiddenInput)
    is_problem = YesNoFilter(label=_("needs help"))
    year = django_filters.NumberFilter(field_name="on__year", label=_("year"))

    class Meta:
        model = ProjectUpdate
        fields = ["q", "project", "is_problem", "year"]
