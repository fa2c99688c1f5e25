from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from projects.api.serializers import (
    FundArrivalSerializer,
    ProjectSerializer,
    StageChangeSerializer,
    StageMoveResultSerializer,
    StageMoveSerializer,
)
from projects.filtersets import FundArrivalFilterSet, ProjectFilterSet, StageChangeFilterSet
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
