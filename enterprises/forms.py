from django import forms

from enterprises.models import Enterprise, IndustryCluster, Park
from parkadmin.forms import VersionedModelForm


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


class EnterpriseForm(VersionedModelForm):
    class Meta:
        model = Enterprise
        fields = [
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
        ]
        widgets = {"founded_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
