from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from projects.analytics import ANY_KEY, NOT_KEY, cached_pipeline_analytics
from projects.api.serializers import (
    AnalyticsSerializer,
    FundArrivalSerializer,
    ProjectSerializer,
    StageChangeSerializer,
    StageMoveResultSerializer,
    StageMoveSerializer,
)
from projects.choices import KeyLevel
from projects.filtersets import FundArrivalFilterSet, ProjectFilterSet, StageChangeFilterSet
from projects.forms import AnalyticsForm
from projects.models import FundArrival, Project, StageChange
from projects.selectors import with_signed_on
from projects.services import project_move_stage
from projects.timing import with_timing


class CanChangeProject(permissions.BasePermission):
    """Moving a project's stage is a change of the project."""

    def has_permission(self, request, view):
        user = request.user
        return bool(user and user.is_authenticated and user.has_perm("projects.change_project"))


class ProjectViewSet(viewsets.ModelViewSet):
    queryset = with_signed_on(Project.objects.select_related("cluster", "park"))
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet
    ordering_fields = [
        "name",
        "investor",
        "stage",
        "signed_on",
        "contract_investment",
        "planned_fixed_asset_investment",
        "land_mu",
        "expected_completion",
    ]

    def get_queryset(self):
        # days_in_stage and funds_ratio_pct, in the list's one query.
        queryset = super().get_queryset()
        return with_timing(queryset) if self.action in ("list", "retrieve") else queryset

    @extend_schema(
        parameters=[
            OpenApiParameter("park", OpenApiTypes.STR, description="Park code; its sub-parks included."),
            OpenApiParameter("cluster", OpenApiTypes.STR, description="Industry cluster code."),
            OpenApiParameter(
                "level", OpenApiTypes.STR, enum=[*KeyLevel.values, ANY_KEY, NOT_KEY], description="Key-project list."
            ),
            OpenApiParameter("signed_from", OpenApiTypes.DATE, description="Signed on or after (YYYY-MM-DD)."),
            OpenApiParameter("signed_to", OpenApiTypes.DATE, description="Signed on or before (YYYY-MM-DD)."),
        ],
        responses={200: AnalyticsSerializer, 400: OpenApiResponse(description="An unknown or malformed filter.")},
        summary="Pipeline analytics: conversion by signing year and lead-time quartiles",
        description=(
            "Of the projects signed (by a signing move that still counts), grouped by the year signed: how many "
            "started construction within 6 / 12 / 24 months, reached production, were dropped or are still waiting; "
            "and the days from signing to construction, construction to production and signing to production "
            "(count, median, quartiles by the inclusive method) overall and by park, cluster, key list and investor "
            "origin. The page /projects/analytics/ shows the same figures."
        ),
        filters=False,
    )
    @action(detail=False, methods=["get"], filterset_class=None, pagination_class=None)
    def analytics(self, request):
        form = AnalyticsForm(request.query_params)
        if not form.is_valid():
            raise ValidationError({field: [str(error) for error in errors] for field, errors in form.errors.items()})
        scope = form.scope()
        figures = cached_pipeline_analytics(scope, stalled=False)
        data = {
            "filters": {
                "park": scope.park.code if scope.park else None,
                "cluster": scope.cluster.code if scope.cluster else None,
                "level": scope.level,
                "signed_from": scope.signed_from,
                "signed_to": scope.signed_to,
            },
            "counted": figures["counted"],
            "cohorts": figures["cohorts"],
            "lead_times": figures["lead_times"],
        }
        return Response(AnalyticsSerializer(data).data)

    @extend_schema(
        request=StageMoveSerializer,
        responses={
            201: StageMoveResultSerializer,
            400: OpenApiResponse(description="The move breaks a pipeline rule (field errors)."),
            409: OpenApiResponse(description="The project changed since its `version` was read."),
        },
        summary="Move the project to another stage",
        description=(
            "Moves go forward; `dropped` may come at any point with the reason in `note`. A move back only with "
            "`correction: true` and a note; the later moves it undoes stop counting. The date may not precede the "
            "current stage's date nor lie in the future."
        ),
    )
    @action(detail=True, methods=["post"], permission_classes=[CanChangeProject])
    def stage(self, request, pk=None):
        project = self.get_object()
        move = StageMoveSerializer(data=request.data)
        move.is_valid(raise_exception=True)
        data = move.validated_data
        change = project_move_stage(
            project=project,
            stage=data["stage"],
            on=data["on"],
            note=data["note"],
            correction=data["correction"],
            user=request.user,
            expected_version=data.get("version"),
        )
        return Response(StageMoveResultSerializer(change).data, status=status.HTTP_201_CREATED)


class StageChangeViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = StageChange.objects.all()
    serializer_class = StageChangeSerializer
    filterset_class = StageChangeFilterSet
    ordering_fields = ["on", "stage", "project__name", "recorded_at"]


class FundArrivalViewSet(viewsets.ModelViewSet):
    queryset = FundArrival.objects.all()
    serializer_class = FundArrivalSerializer
    filterset_class = FundArrivalFilterSet
    ordering_fields = ["arrived_on", "amount", "project__name"]
