from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from parkadmin.api import PersonField, VersionedSerializer
from parks.models import IndustryCluster, Park
from projects.choices import KeyLevel, Stage
from projects.models import KEY_LEVEL_FIELDS, FundArrival, Project, StageChange
from projects.selectors import signings
from projects.services import project_create
from projects.timing import days_in_stage, funds_ratio, with_timing
from projects.validators import not_in_future


class ProjectSerializer(VersionedSerializer):
    """A project. Its `stage` moves only through `POST /api/projects/{id}/stage/`."""

    cluster = serializers.SlugRelatedField(
        slug_field="code", queryset=IndustryCluster.objects.all(), allow_null=True, required=False
    )
    park = serializers.SlugRelatedField(slug_field="code", queryset=Park.objects.all(), allow_null=True, required=False)
    liaison = PersonField(allow_null=True, required=False)
    key_levels = serializers.ListField(
        child=serializers.ChoiceField(choices=KeyLevel.choices),
        required=False,
        help_text="The key-project lists the project is on; writing it replaces the whole set.",
    )
    signed_on = serializers.SerializerMethodField(help_text="Date of the signing move that counts, if any.")
    days_in_stage = serializers.SerializerMethodField(
        help_text="Whole days since the project entered its current stage (moves that still count); null at full "
        "production, when dropped or without a move."
    )
    funds_ratio_pct = serializers.SerializerMethodField(
        help_text="Funds arrived ÷ contract investment × 100, to 2 places; null without a contract investment."
    )
    stage_on = serializers.DateField(
        write_only=True,
        required=False,
        validators=[not_in_future],
        help_text="On create only: the date of the first entry of the stage log (default today).",
    )

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "investor",
            "investor_origin",
            "enterprise",
            "cluster",
            "park",
            "stage",
            "signed_on",
            "days_in_stage",
            "contract_investment",
            "funds_ratio_pct",
            "planned_fixed_asset_investment",
            "land_mu",
            "expected_completion",
            "expected_annual_output",
            "expected_annual_sales",
            "expected_annual_tax",
            "expected_annual_profit_tax",
            "key_levels",
            "liaison",
            "notes",
            "source",
            "is_sample",
            "stage_on",
            "version",
        ]
        read_only_fields = ["stage", "is_sample"]

    # Null until the project is signed: the schema says so, or clients validating against it reject the record.
    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_signed_on(self, project: Project):
        # Lists and details annotate it (one query for the page); a record just written has no annotation.
        if hasattr(project, "signed_on"):
            return project.signed_on
        return signings(project).values_list("on", flat=True).first()

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_days_in_stage(self, project: Project):
        return days_in_stage(timed(project))

    @extend_schema_field(serializers.FloatField(allow_null=True))
    def get_funds_ratio_pct(self, project: Project):
        return funds_ratio(timed(project))

    def validate(self, attrs):
        if self.instance is not None and "stage_on" in attrs:
            raise serializers.ValidationError({"stage_on": [_("Move the stage through the stage endpoint.")]})
        attrs = super().validate(attrs)
        if "key_levels" in attrs:
            levels = set(attrs.pop("key_levels"))
            for level, field in KEY_LEVEL_FIELDS.items():
                attrs[field] = level in levels
        return attrs

    def create(self, validated_data):
        validated_data.pop("version", None)
        on = validated_data.pop("stage_on", None)
        request = self.context.get("request")
        user = request.user if request is not None and request.user.is_authenticated else None
        return project_create(project=Project(**validated_data), on=on, user=user)


def timed(project: Project) -> Project:
    """The project with its timing annotations: lists and details annotate them in their query; a record just
    written is read again with them."""
    if hasattr(project, "stage_since"):
        return project
    if not hasattr(project, "_timed"):
        project._timed = with_timing(Project.objects.filter(pk=project.pk)).first() or project
    return project._timed


class StageChangeSerializer(serializers.ModelSerializer):
    class Meta:
        model = StageChange
        fields = ["id", "project", "stage", "on", "note", "is_correction", "superseded", "recorded_by", "recorded_at"]
        read_only_fields = fields


class StageMoveSerializer(serializers.Serializer):
    """The body of `POST /api/projects/{id}/stage/`."""

    stage = serializers.ChoiceField(choices=Stage.choices)
    on = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True, default="", trim_whitespace=True)
    correction = serializers.BooleanField(
        required=False, default=False, help_text="A move back: needs a note; the moves it undoes stop counting."
    )
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The project's version as read; a stale one is refused with 409."
    )


class StageMoveResultSerializer(StageChangeSerializer):
    """The stage change a move recorded, with the project's stage and version after it."""

    project_stage = serializers.ChoiceField(choices=Stage.choices, source="project.stage", read_only=True)
    project_version = serializers.IntegerField(source="project.version", read_only=True)

    class Meta(StageChangeSerializer.Meta):
        fields = [*StageChangeSerializer.Meta.fields, "project_stage", "project_version"]
        read_only_fields = fields


class FundArrivalSerializer(VersionedSerializer):
    class Meta:
        model = FundArrival
        fields = ["id", "project", "arrived_on", "amount", "source", "note", "is_sample", "version"]
        read_only_fields = ["is_sample"]


# --- GET /api/projects/analytics/ (projects.analytics: the rules of every figure) ------------------------------


class QuartilesSerializer(serializers.Serializer):
    count = serializers.IntegerField(min_value=0, help_text="Projects that reached both stages.")
    median = serializers.FloatField(allow_null=True, help_text="Days; null when count is 0.")
    q1 = serializers.FloatField(allow_null=True, help_text="First quartile, days (inclusive method).")
    q3 = serializers.FloatField(allow_null=True, help_text="Third quartile, days (inclusive method).")


class LeadTimesSerializer(serializers.Serializer):
    signed_to_construction = QuartilesSerializer()
    construction_to_production = QuartilesSerializer()
    signed_to_production = QuartilesSerializer()


class LeadTimeGroupSerializer(LeadTimesSerializer):
    code = serializers.CharField(
        allow_blank=True,
        help_text="What the project list filters by (park or cluster code, key level, origin); "
        "empty for projects with none.",
    )
    name = serializers.CharField(help_text="The group's name in the reader's language.")


class LeadTimeTableSerializer(serializers.Serializer):
    all = LeadTimesSerializer(help_text="Every counted project.")
    park = LeadTimeGroupSerializer(many=True, help_text="By park, each with its sub-parks.")
    cluster = LeadTimeGroupSerializer(many=True)
    level = LeadTimeGroupSerializer(many=True, help_text="By key-project list; `none`: on no list.")
    origin = LeadTimeGroupSerializer(many=True, help_text="By investor origin.")


class StartedWithinSerializer(serializers.Serializer):
    months = serializers.IntegerField()
    count = serializers.IntegerField(min_value=0, help_text="Reached construction within `months` of signing.")
    pct = serializers.FloatField(allow_null=True, help_text="Share of the cohort, %.")


class CohortSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text="The year signed.")
    signed = serializers.IntegerField(min_value=0)
    started_within = StartedWithinSerializer(many=True)
    production = serializers.IntegerField(min_value=0, help_text="Reached production (or full production).")
    production_pct = serializers.FloatField(allow_null=True)
    dropped = serializers.IntegerField(min_value=0)
    dropped_pct = serializers.FloatField(allow_null=True)
    waiting = serializers.IntegerField(min_value=0, help_text="Neither started nor dropped.")
    waiting_pct = serializers.FloatField(allow_null=True)


class AnalyticsFiltersSerializer(serializers.Serializer):
    park = serializers.CharField(allow_null=True, help_text="Park code (with its sub-parks); null: the whole zone.")
    cluster = serializers.CharField(allow_null=True, help_text="Cluster code.")
    level = serializers.CharField(allow_blank=True, help_text="A key level, `any`, `none`, or empty.")
    signed_from = serializers.DateField(allow_null=True)
    signed_to = serializers.DateField(allow_null=True)


class AnalyticsSerializer(serializers.Serializer):
    """The pipeline's conversion by signing year and its lead times (days), for the filters asked."""

    filters = AnalyticsFiltersSerializer()
    counted = serializers.IntegerField(min_value=0, help_text="Signed projects counted.")
    cohorts = CohortSerializer(many=True)
    lead_times = LeadTimeTableSerializer()
