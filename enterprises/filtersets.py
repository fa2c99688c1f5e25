import django_filters
from django.utils.translation import gettext_lazy as _

from enterprises.choices import ClusterRole, ParkKind
from enterprises.models import IndustryCluster, Park
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
