from parkadmin.forms import VersionedModelForm
from parks.models import IndustryCluster, Park


class ParkForm(VersionedModelForm):
    class Meta:
        model = Park
        fields = ["code", "name", "name_en", "kind", "parent", "description", "source"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A park cannot be its own parent; deeper loops are caught by Park.clean().
            self.fields["parent"].queryset = Park.objects.exclude(pk=self.instance.pk)


class IndustryClusterForm(VersionedModelForm):
    class Meta:
        model = IndustryCluster
        fields = ["code", "name", "name_en", "role", "color", "description", "source"]
