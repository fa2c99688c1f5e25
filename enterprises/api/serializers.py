from rest_framework import serializers
from rest_framework.validators import UniqueValidator

from enterprises.models import Enterprise, IndustryCluster, Park
from enterprises.validators import normalise_credit_code, validate_credit_code
from parkadmin.api import VersionedSerializer


class ParkSerializer(VersionedSerializer):
    parent = serializers.SlugRelatedField(
        slug_field="code", queryset=Park.objects.all(), allow_null=True, required=False
    )

    class Meta:
        model = Park
        fields = ["id", "code", "name", "name_en", "kind", "parent", "description", "source", "version"]


class IndustryClusterSerializer(VersionedSerializer):
    class Meta:
        model = IndustryCluster
        fields = ["id", "code", "name", "name_en", "role", "color", "description", "source", "version"]


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
