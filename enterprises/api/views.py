from rest_framework import viewsets

from enterprises.api.serializers import EnterpriseSerializer, IndustryClusterSerializer, ParkSerializer
from enterprises.filtersets import EnterpriseFilterSet, IndustryClusterFilterSet, ParkFilterSet
from enterprises.models import Enterprise, IndustryCluster, Park


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


class EnterpriseViewSet(viewsets.ModelViewSet):
    queryset = Enterprise.objects.select_related("cluster", "park")
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    ordering_fields = ["name", "credit_code", "founded_on", "registered_capital"]
