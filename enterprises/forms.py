from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from enterprises.choices import ProblemStatus
from enterprises.models import (
    Enterprise,
    EnterpriseYear,
    Incubation,
    Incubator,
    Qualification,
    ResearchPlatform,
    ServiceRequest,
)
from parkadmin.forms import SearchSelect, StyledForm, VersionedModelForm
from parkadmin.people import name_people

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def enterprise_picker() -> SearchSelect:
    """The enterprise of a record, picked by typing part of its name (the API's enterprise list searches)."""
    return SearchSelect(reverse_lazy("enterprise-list"))


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
        widgets = {"founded_on": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_people(self.fields["liaison"], self.instance.liaison_id)


class QualificationForm(VersionedModelForm):
    class Meta:
        model = Qualification
        fields = ["enterprise", "kind", "certificate_no", "issued_on", "expires_on", "source"]
        widgets = {"enterprise": enterprise_picker(), "issued_on": DATE_INPUT, "expires_on": DATE_INPUT}


class ResearchPlatformForm(VersionedModelForm):
    class Meta:
        model = ResearchPlatform
        fields = ["enterprise", "name", "kind", "level", "approved_on", "source"]
        widgets = {"enterprise": enterprise_picker(), "approved_on": DATE_INPUT}


class EnterpriseYearForm(VersionedModelForm):
    class Meta:
        model = EnterpriseYear
        fields = ["enterprise", "year", *EnterpriseYear.FIGURES, "source"]
        widgets = {"enterprise": enterprise_picker()}


class IncubatorForm(VersionedModelForm):
    class Meta:
        model = Incubator
        fields = ["name", "level", "operator", "area_m2", "park", "source"]


class IncubationForm(VersionedModelForm):
    class Meta:
        model = Incubation
        fields = ["enterprise", "incubator", "entered_on", "status", "left_on", "area_m2"]
        widgets = {"enterprise": enterprise_picker(), "entered_on": DATE_INPUT, "left_on": DATE_INPUT}


class ServiceRequestForm(VersionedModelForm):
    """Raising or editing a problem; its status moves through ServiceRequestMoveForm."""

    class Meta:
        model = ServiceRequest
        fields = ["enterprise", "title", "category", "description", "raised_on", "assignee", "due_on"]
        widgets = {"enterprise": enterprise_picker(), "raised_on": DATE_INPUT, "due_on": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_people(self.fields["assignee"], self.instance.assignee_id)
        if not self.instance.pk:
            self.fields["raised_on"].initial = timezone.localdate()


class ServiceRequestMoveForm(StyledForm):
    """What each status move asks for: a resolution to close out (销号), the enterprise's word to close."""

    status = forms.ChoiceField(choices=ProblemStatus.choices, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    resolution = forms.CharField(
        label=_("How it was resolved"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    resolved_on = forms.DateField(label=_("resolved on"), widget=DATE_INPUT, required=False)
    confirmation = forms.CharField(
        label=_("enterprise's confirmation"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    satisfaction = forms.TypedChoiceField(
        label=_("satisfaction (1–5)"),
        choices=[("", "—")] + [(i, str(i)) for i in range(5, 0, -1)],
        coerce=int,
        required=False,
        empty_value=None,
    )
    closed_on = forms.DateField(label=_("closed on"), widget=DATE_INPUT, required=False)
