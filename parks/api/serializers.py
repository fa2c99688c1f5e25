from rest_framework import serializers

from parkadmin.api import VersionedSerializer
from parks.models import IndustryCluster, Park


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
