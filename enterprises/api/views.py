from rest_framework import viewsets

from enterprises.api.serializers import (
    EnterpriseSerializer,
    EnterpriseYearSerializer,
    IncubationSerializer,
    IncubatorSerializer,
    QualificationSerializer,
    ResearchPlatformSerializer,
    ServiceRequestSerializer,
)
from enterprises.filtersets import (
    EnterpriseFilterSet,
    EnterpriseYearFilterSet,
    IncubationFilterSet,
    IncubatorFilterSet,
    QualificationFilterSet,
    ResearchPlatformFilterSet,
    ServiceRequestFilterSet,
)
from enterprises.models import (
    Enterprise,
    EnterpriseYear,
    Incubation,
    Incubator,
    Qualification,
    ResearchPlatform,
    ServiceRequest,
)


class EnterpriseViewSet(viewsets.ModelViewSet):
    queryset = Enterprise.objects.select_related("cluster", "park")
    serializer_class = EnterpriseSerializer
    filterset_class = EnterpriseFilterSet
    ordering_fields = ["name", "credit_code", "founded_on", "registered_capital"]


class QualificationViewSet(viewsets.ModelViewSet):
    queryset = Qualification.objects.select_related("enterprise")
    serializer_class = QualificationSerializer
    filterset_class = QualificationFilterSet
    ordering_fields = ["enterprise__name", "kind", "issued_on", "expires_on"]


class ResearchPlatformViewSet(viewsets.ModelViewSet):
    queryset = ResearchPlatform.objects.select_related("enterprise")
    serializer_class = ResearchPlatformSerializer
    filterset_class = ResearchPlatformFilterSet
    ordering_fields = ["enterprise__name", "name", "kind", "level", "approved_on"]


class EnterpriseYearViewSet(viewsets.ModelViewSet):
    queryset = EnterpriseYear.objects.select_related("enterprise")
    serializer_class = EnterpriseYearSerializer
    filterset_class = EnterpriseYearFilterSet
    ordering_fields = ["enterprise__name", "year", *EnterpriseYear.FIGURES]


class IncubatorViewSet(viewsets.ModelViewSet):
    queryset = Incubator.objects.select_related("park")
    serializer_class = IncubatorSerializer
    filterset_class = IncubatorFilterSet
    ordering_fields = ["name", "level", "area_m2"]


class IncubationViewSet(viewsets.ModelViewSet):
    queryset = Incubation.objects.select_related("enterprise", "incubator")
    serializer_class = IncubationSerializer
    filterset_class = IncubationFilterSet
    ordering_fields = ["enterprise__name", "incubator__name", "entered_on", "left_on", "status"]


class ServiceRequestViewSet(viewsets.ModelViewSet):
    queryset = ServiceRequest.objects.select_related("enterprise", "assignee")
    serializer_class = ServiceRequestSerializer
    filterset_class = ServiceRequestFilterSet
    ordering_fields = ["enterprise__name", "raised_on", "due_on", "status", "category", "closed_on"]
