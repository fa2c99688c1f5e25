from django import forms
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parkadmin.forms import SearchSelect, StyledForm, VersionedModelForm
from parkadmin.people import name_people
from parks.models import IndustryCluster, Park
from projects.analytics import ANY_KEY, NOT_KEY, Scope
from projects.choices import STAGE_ORDER, KeyLevel, Stage
from projects.models import KEY_LEVEL_FIELDS, FundArrival, Project, ProjectUpdate
from projects.validators import not_in_future

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
KEY_FIELDS = list(KEY_LEVEL_FIELDS.values())
MONEY_FIELDS = [
    "contract_investment",
    "planned_fixed_asset_investment",
    "expected_annual_output",
    "expected_annual_sales",
    "expected_annual_tax",
    "expected_annual_profit_tax",
]
# Amounts are kept in 万元 (DecimalField(16, 2)): a number too long for that was almost surely typed in 元.
AMOUNT_ERRORS = {
    "invalid": _("Enter the amount in units of CNY 10,000, e.g. 1500 or 1500.50."),
    "max_digits": _("That amount is far too large: amounts are in 万元 (was it typed in 元?)."),
    "max_whole_digits": _("That amount is far too large: amounts are in 万元 (was it typed in 元?)."),
    "max_decimal_places": _("Give at most two decimal places."),
}


class ProjectForm(VersionedModelForm):
    """A project's particulars; its stage moves through StageMoveForm only."""

    class Meta:
        model = Project
        fields = [
            "name",
            "investor",
            "investor_origin",
            "enterprise",
            "cluster",
            "park",
            "contract_investment",
            "planned_fixed_asset_investment",
            "land_mu",
            "expected_completion",
            "expected_annual_output",
            "expected_annual_sales",
            "expected_annual_tax",
            "expected_annual_profit_tax",
            *KEY_FIELDS,
            "liaison",
            "notes",
            "source",
        ]
        widgets = {
            "expected_completion": DATE_INPUT,
            "notes": forms.Textarea(attrs={"rows": 3}),
            "enterprise": SearchSelect(reverse_lazy("enterprise-list")),
        }
        error_messages = dict.fromkeys(MONEY_FIELDS, AMOUNT_ERRORS)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        name_people(self.fields["liaison"], self.instance.liaison_id)

    def groups(self) -> list[tuple[str | None, list]]:
        """Fields in the order the form shows them: the four key-project flags together in one box."""
        key = set(KEY_FIELDS)
        others = [field for field in self if not field.is_hidden and field.name not in key]
        return [(None, others), (_("Key project"), [self[name] for name in KEY_FIELDS])]


class ProjectCreateForm(ProjectForm):
    """A new project also opens its stage log: the stage it stands at (first talks, unless recorded late) and since
    when."""

    stage = forms.ChoiceField(
        label=_("stage"),
        choices=[(stage.value, stage.label) for stage in STAGE_ORDER],
        initial=Stage.NEGOTIATING,
        help_text=_("Where the project stands now; later moves go through the project's page."),
    )
    stage_on = forms.DateField(
        label=_("since"), widget=DATE_INPUT, initial=timezone.localdate, validators=[not_in_future]
    )
    stage_note = forms.CharField(label=_("note on the stage"), max_length=500, required=False)

    def groups(self):
        stage = [self[name] for name in ("stage", "stage_on", "stage_note")]
        first, *rest = super().groups()
        others = [field for field in first[1] if field.name not in ("stage", "stage_on", "stage_note")]
        return [(None, others), *rest, (_("Stage log"), stage)]


class FundArrivalForm(VersionedModelForm):
    class Meta:
        model = FundArrival
        fields = ["project", "arrived_on", "amount", "source", "note"]
        widgets = {"project": SearchSelect(reverse_lazy("project-list"))}
        error_messages = {"amount": AMOUNT_ERRORS}

    arrived_on = forms.DateField(
        label=FundArrival._meta.get_field("arrived_on").verbose_name, widget=DATE_INPUT, initial=timezone.localdate
    )


class ProjectUpdateForm(VersionedModelForm):
    class Meta:
        model = ProjectUpdate
        fields = ["project", "on", "text", "is_problem"]
        widgets = {"project": SearchSelect(reverse_lazy("project-list")), "text": forms.Textarea(attrs={"rows": 4})}

    on = forms.DateField(
        label=ProjectUpdate._meta.get_field("on").verbose_name, widget=DATE_INPUT, initial=timezone.localdate
    )


class StageMoveForm(StyledForm):
    """A move along the pipeline (projects.services.project_move_stage checks the rules)."""

    stage = forms.ChoiceField(label=_("move to"), choices=Stage.choices)
    on = forms.DateField(label=_("date"), widget=DATE_INPUT, initial=timezone.localdate)
    note = forms.CharField(
        label=_("note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when a project is dropped or a stage corrected."),
    )
    correction = forms.BooleanField(
        label=_("correction (undo a wrong move)"),
        required=False,
        help_text=_("Moves the project back; the moves it undoes are kept, struck through, and stop counting."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    next = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)


class AnalyticsForm(StyledForm):
    """The pipeline page's and its API's filters (projects.analytics.Scope); every one optional."""

    park = forms.ModelChoiceField(
        queryset=Park.objects.order_by("code"),
        to_field_name="code",
        required=False,
        label=_("park"),
        empty_label=_("All"),
    )
    cluster = forms.ModelChoiceField(
        queryset=IndustryCluster.objects.order_by("code"),
        to_field_name="code",
        required=False,
        label=_("industry cluster"),
        empty_label=_("All"),
    )
    level = forms.ChoiceField(
        choices=[("", _("All")), *KeyLevel.choices, (ANY_KEY, _("On any key list")), (NOT_KEY, _("Not on a key list"))],
        required=False,
        label=_("key project"),
    )
    signed_from = forms.DateField(required=False, label=_("signed from"), widget=DATE_INPUT)
    signed_to = forms.DateField(required=False, label=_("signed to"), widget=DATE_INPUT)

    def clean(self):
        data = super().clean()
        start, end = data.get("signed_from"), data.get("signed_to")
        if start and end and start > end:
            self.add_error("signed_to", _("The end of the signing period cannot be before its start."))
        return data

    def scope(self) -> Scope:
        """The scope asked for; the whole zone when the form is not valid (its errors are shown)."""
        if not self.is_valid():
            return Scope()
        data = self.cleaned_data
        return Scope(
            park=data["park"],
            cluster=data["cluster"],
            level=data["level"],
            signed_from=data["signed_from"],
            signed_to=data["signed_to"],
        )
