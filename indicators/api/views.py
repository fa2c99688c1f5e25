from decimal import Decimal

from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from indicators import selectors, services
from indicators.api.serializers import (
    ApproveSerializer,
    IndicatorSerializer,
    IndicatorValueSerializer,
    ReturnSerializer,
    ReviewSerializer,
    SeriesSerializer,
    TargetSerializer,
)
from indicators.choices import ValueStatus
from indicators.filtersets import IndicatorFilterSet, IndicatorValueFilterSet, TargetFilterSet
from indicators.models import Indicator, IndicatorValue, Target
from parkadmin.formatting import round_half_up
from parks.models import Park

TRUE_WORDS = ("1", "true", "yes", "on")

INCLUDE_PENDING = OpenApiParameter(
    "include_pending",
    OpenApiTypes.BOOL,
    description="Also values not yet approved (drafts, submitted, returned), marked by their `status`.",
)


def include_pending(request) -> bool:
    return request.query_params.get("include_pending", "").strip().lower() in TRUE_WORDS


def as_number(value: Decimal | None, places: int) -> float | None:
    return None if value is None else float(round_half_up(value, places))


def has_perm(codename: str) -> type[permissions.BasePermission]:
    """A permission class letting through authenticated users holding `codename`."""

    class HasPerm(permissions.BasePermission):
        def has_permission(self, request, view):
            user = request.user
            return bool(user and user.is_authenticated and user.has_perm(codename))

    HasPerm.__name__ = f"Has_{codename.replace('.', '_')}"
    return HasPerm


class IndicatorViewSet(viewsets.ModelViewSet):
    """Indicator definitions, addressed by their code (`/api/indicators/fiscal_revenue/`)."""

    queryset = Indicator.objects.all()
    serializer_class = IndicatorSerializer
    filterset_class = IndicatorFilterSet
    lookup_field = "code"
    ordering_fields = ["code", "name", "category", "sort_order"]

    @extend_schema(
        parameters=[
            OpenApiParameter("park", OpenApiTypes.STR, description="A park's code; without it, the whole zone."),
            INCLUDE_PENDING,
        ],
        responses={200: SeriesSerializer, 400: OpenApiResponse(description="Unknown park code.")},
        summary="The indicator's yearly series with year-on-year growth and CAGR",
        description=(
            "Points in year order. `yoy_pct` is the growth on the previous calendar year, null where that year has "
            "no value; `cagr_pct` is ((last/first)^(1/years apart) − 1) × 100 from the first to the last point. "
            "Values are rounded to the indicator's decimals, percentages to 2 places."
        ),
        filters=False,
    )
    @action(detail=True, methods=["get"])
    def series(self, request, code=None):
        indicator = self.get_object()
        park = None
        park_code = request.query_params.get("park", "").strip()
        if park_code:
            park = Park.objects.filter(code=park_code).first()
            if park is None:
                raise serializers.ValidationError({"park": [_("No park has the code “%s”.") % park_code]})
        data = selectors.indicator_series(indicator, park=park, include_pending=include_pending(request))
        return Response(
            {
                "indicator": data["indicator"],
                "unit": data["unit"],
                "points": [
                    {
                        "year": point["year"],
                        "value": as_number(point["value"], indicator.decimals),
                        "yoy_pct": as_number(point["yoy_pct"], 2),
                        "status": point["status"],
                    }
                    for point in data["points"]
                ],
                "cagr_pct": as_number(data["cagr_pct"], 2),
            }
        )

    def filter_queryset(self, queryset):
        # The series' own parameters (`park`) are not filters of the definitions.
        if self.action == "series":
            return queryset
        return super().filter_queryset(queryset)


REVIEW_RESPONSES = {
    200: IndicatorValueSerializer,
    400: OpenApiResponse(description="The value is not in a state this step applies to (field errors)."),
    403: OpenApiResponse(description="No permission, or the reviewer is the person who entered the value."),
    409: OpenApiResponse(description="The value changed since its `version` was read."),
}
DECISION_RESPONSES = {
    **REVIEW_RESPONSES,
    400: OpenApiResponse(
        description="No `version` sent, or the value is not in a state this step applies to (field errors)."
    ),
}


@extend_schema_view(
    list=extend_schema(
        parameters=[INCLUDE_PENDING],
        description="Approved values; staff who enter values (and anyone with `include_pending=1`) also see the "
        "pending ones, marked by their `status`.",
    ),
    retrieve=extend_schema(parameters=[INCLUDE_PENDING]),
)
class IndicatorValueViewSet(viewsets.ModelViewSet):
    """Reported values: entered as drafts, submitted, then approved by someone else or returned."""

    queryset = IndicatorValue.objects.select_related("indicator", "park")
    serializer_class = IndicatorValueSerializer
    filterset_class = IndicatorValueFilterSet
    ordering_fields = ["year", "value", "status", "indicator__code", "park__code"]

    REVIEW_ACTIONS = ("approve", "return_", "submit")

    def get_queryset(self):
        values = super().get_queryset()
        if getattr(self, "swagger_fake_view", False) or self.action in self.REVIEW_ACTIONS:
            return values
        user = self.request.user
        if user.has_perm("indicators.add_indicatorvalue") or include_pending(self.request):
            return values
        return values.filter(status=ValueStatus.APPROVED)

    def perform_destroy(self, instance):
        services.indicator_value_delete(value=instance, user=self.request.user)

    def _review(self, request, serializer_class, step):
        value = self.get_object()
        body = serializer_class(data=request.data)
        body.is_valid(raise_exception=True)
        value = step(value, body.validated_data)
        return Response(IndicatorValueSerializer(value, context=self.get_serializer_context()).data)

    @extend_schema(
        request=ApproveSerializer,
        responses=DECISION_RESPONSES,
        summary="Approve a submitted value",
        description="Reviewers only, and never anyone who entered the value's figure since it was last approved. "
        "Only submitted values. `version` is required: the version of the value as read, so that what is approved "
        "is the figure reviewed (a stale one is refused with 409).",
        filters=False,
    )
    @action(detail=True, methods=["post"], permission_classes=[has_perm("indicators.approve_indicatorvalue")])
    def approve(self, request, pk=None):
        return self._review(
            request,
            ApproveSerializer,
            lambda value, data: services.indicator_value_approve(
                value=value, user=request.user, expected_version=data["version"]
            ),
        )

    @extend_schema(
        request=ReturnSerializer,
        responses=DECISION_RESPONSES,
        summary="Return a submitted value for correction",
        description="Reviewers only, and never anyone who entered the value's figure since it was last approved; "
        "`comment` says what to correct. `version` is required: the version of the value as read (a stale one is "
        "refused with 409).",
        filters=False,
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="return",
        url_name="return",
        permission_classes=[has_perm("indicators.approve_indicatorvalue")],
    )
    def return_(self, request, pk=None):
        return self._review(
            request,
            ReturnSerializer,
            lambda value, data: services.indicator_value_return(
                value=value, user=request.user, comment=data["comment"], expected_version=data["version"]
            ),
        )

    @extend_schema(
        request=ReviewSerializer,
        responses={**REVIEW_RESPONSES, 403: OpenApiResponse(description="No permission to submit values.")},
        summary="Submit a draft or returned value for review",
        description="For the staff who enter values. Only drafts and returned values.",
        filters=False,
    )
    @action(detail=True, methods=["post"], permission_classes=[has_perm("indicators.submit_indicatorvalue")])
    def submit(self, request, pk=None):
        return self._review(
            request,
            ReviewSerializer,
            lambda value, data: services.indicator_value_submit(
                value=value, user=request.user, expected_version=data.get("version")
            ),
        )

    def filter_queryset(self, queryset):
        # A review step addresses one value by its id; list filters do not hide it.
        if self.action in self.REVIEW_ACTIONS:
            return queryset
        return super().filter_queryset(queryset)


class TargetViewSet(viewsets.ModelViewSet):
    queryset = Target.objects.select_related("indicator", "park")
    serializer_class = TargetSerializer
    filterset_class = TargetFilterSet
    ordering_fields = ["year", "value", "indicator__code", "park__code"]
