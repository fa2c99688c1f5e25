import django_filters
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from parkadmin.filters import BaseFilterSet
from parks.choices import ClusterRole, ParkKind
from parks.models import IndustryCluster, Park
from parks.selectors import in_park


@extend_schema_field(OpenApiTypes.STR)
class ParkTreeFilter(django_filters.ModelChoiceFilter):
    """A park filter that includes the park's sub-parks (the whole zone for the root)."""

    def __init__(self, *args, path: str = "park", **kwargs):
        self.path = path
        kwargs.setdefault("queryset", Park.objects.all())
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("label", _("park"))
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        return in_park(queryset, value, self.path) if value else queryset


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
