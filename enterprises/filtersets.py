import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from enterprises.choices import ClusterRole, EnterpriseStatus, ListingStage, ParkKind, SizeClass
from enterprises.models import Enterprise, IndustryCluster, Park
from parkadmin.filters import BaseFilterSet


class ParkFilterSet(BaseFilterSet):
    search_fields = ("code", "name", "name_en")

    kind = django_filters.ChoiceFilter(choices=ParkKind.choices, label=_("kind"))
    parent = django_filters.ModelChoiceFilter(queryset=Park.objects.all(), to_field_name="code", label=_("parent park"))

    class Meta:
        model = Park
        fields = ["q", "kind", "parent"]


class IndustryClusterFilterSet(BaseFilterSet):
    search_fields = ("code", "name", "name_en")

    role = django_filters.ChoiceFilter(choices=ClusterRole.choices, label=_("role"))

    class Meta:
        model = IndustryCluster
        fields = ["q", "role"]


class EnterpriseFilterSet(BaseFilterSet):
    search_fields = ("name", "short_name", "credit_code")

    cluster = django_filters.ModelChoiceFilter(
        queryset=IndustryCluster.objects.all(), to_field_name="code", label=_("industry cluster")
    )
    park = django_filters.ModelChoiceFilter(queryset=Park.objects.all(), to_field_name="code", label=_("park"))
    status = django_filters.ChoiceFilter(choices=EnterpriseStatus.choices, label=_("status"))
    size_class = django_filters.ChoiceFilter(choices=SizeClass.choices, label=_("size"))
    listing_stage = django_filters.ChoiceFilter(choices=ListingStage.choices, label=_("listing stage"))
    liaison = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.filter(is_active=True), label=_("liaison officer")
    )

    class Meta:
        model = Enterprise
        fields = ["q", "cluster", "park", "status", "size_class", "listing_stage", "liaison"]
