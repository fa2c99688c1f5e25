from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from enterprises.models import (
    Enterprise,
    EnterpriseYear,
    Incubation,
    Incubator,
    Qualification,
    ResearchPlatform,
    ServiceRequest,
)
from enterprises.services import service_request_update
from enterprises.validators import normalise_credit_code, validate_credit_code
from parkadmin.api import PersonField, VersionedSerializer
from parks.models import IndustryCluster, Park


class CreditCodeField(serializers.CharField):
    """Trimmed and upper-cased before validation, as in the form; empty means no code."""

    def to_internal_value(self, data):
        return normalise_credit_code(super().to_internal_value(data))


class EnterpriseSerializer(VersionedSerializer):
    credit_code = CreditCodeField(
        allow_null=True,
        allow_blank=True,
        required=False,
        max_length=18,
        validators=[validate_credit_code, UniqueValidator(queryset=Enterprise.objects.all())],
    )
    cluster = serializers.SlugRelatedField(
        slug_field="code", queryset=IndustryCluster.objects.all(), allow_null=True, required=False
    )
    park = serializers.SlugRelatedField(slug_field="code", queryset=Park.objects.all(), allow_null=True, required=False)
    liaison = PersonField(allow_null=True, required=False)

    class Meta:
        model = Enterprise
        fields = [
            "id",
            "name",
            "short_name",
            "credit_code",
            "legal_representative",
            "founded_on",
            "registered_capital",
            "cluster",
            "park",
            "status",
            "size_class",
            "listing_stage",
            "address",
            "contact_person",
            "contact_phone",
            "liaison",
            "land_area_mu",
            "has_own_plant",
            "notes",
            "source",
            "is_sample",
            "version",
        ]
        read_only_fields = ["is_sample"]


class QualificationSerializer(VersionedSerializer):
    class Meta:
        model = Qualification
        fields = ["id", "enterprise", "kind", "certificate_no", "issued_on", "expires_on", "source", "version"]


class ResearchPlatformSerializer(VersionedSerializer):
    class Meta:
        model = ResearchPlatform
        fields = ["id", "enterprise", "name", "kind", "level", "approved_on", "source", "version"]


class EnterpriseYearSerializer(VersionedSerializer):
    class Meta:
        model = EnterpriseYear
        fields = ["id", "enterprise", "year", *EnterpriseYear.FIGURES, "source", "is_sample", "version"]
        read_only_fields = ["is_sample"]


class IncubatorSerializer(VersionedSerializer):
    park = serializers.SlugRelatedField(slug_field="code", queryset=Park.objects.all(), allow_null=True, required=False)

    class Meta:
        model = Incubator
        fields = ["id", "name", "level", "operator", "area_m2", "park", "source", "version"]


class IncubationSerializer(VersionedSerializer):
    class Meta:
        model = Incubation
        fields = ["id", "enterprise", "incubator", "entered_on", "status", "left_on", "area_m2", "is_sample", "version"]
        read_only_fields = ["is_sample"]


class ServiceRequestSerializer(VersionedSerializer):
    assignee = PersonField(allow_null=True, required=False)
    is_overdue = serializers.BooleanField(read_only=True)

    class Meta:
        model = ServiceRequest
        fields = [
            "id",
            "enterprise",
            "title",
            "description",
            "category",
            "raised_on",
            "assignee",
            "due_on",
            "status",
            "resolution",
            "resolved_on",
            "confirmation",
            "satisfaction",
            "closed_on",
            "is_overdue",
            "is_sample",
            "version",
        ]
        read_only_fields = ["is_sample"]
        # Left out, the model sets it from the category's time limit.
        extra_kwargs = {"due_on": {"required": False}}

    def update(self, instance, validated_data):
        """A change of status is a move, by the rules of the problem's page: see service_request_update."""
        expected = validated_data.pop("version")
        return service_request_update(request=instance, expected_version=expected, changes=validated_data)
