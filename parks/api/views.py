from rest_framework import viewsets

from parks.api.serializers import IndustryClusterSerializer, ParkSerializer
from parks.filtersets import IndustryClusterFilterSet, ParkFilterSet
from parks.models import IndustryCluster, Park


class ParkViewSet(viewsets.ModelViewSet):
    queryset = Park.objects.select_related("parent")
    serializer_class = ParkSerializer
    filterset_class = ParkFilterSet
    lookup_field = "code"
    ordering_fields = ["code", "name"]


class IndustryClusterViewSet(viewsets.ModelViewSet):
    queryset = IndustryCluster.objects.all()
    serializer_class = IndustryClusterSerializer
    filterset_class = IndustryClusterFilterSet
    lookup_field = "code"
    ordering_fields = ["code", "name"]
