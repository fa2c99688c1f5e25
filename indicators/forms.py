"""Forms of the indicators app. Values are written by indicators.services.indicator_value_save (checks at entry,
review status), so their forms only collect and clean input; definitions and targets are plain versioned forms."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from indicators.choices import Kind, SpanKind
from indicators.models import COMPUTED_EDITABLE_FIELDS, Indicator, Target
from indicators.tables import plain_decimal
from parkadmin.forms import StyledForm, VersionedModelForm
from parks.models import Park

DRAFT, SUBMIT = "draft", "submit"
VALUE_FIELD = {"max_digits": 20, "decimal_places": 6}


def year_field(**kwargs) -> forms.IntegerField:
    return forms.IntegerField(label=_("year"), min_value=1990, max_value=2100, **kwargs)


class ParkOrZoneField(forms.ModelChoiceField):
    """A park, or — left empty — the whole zone."""

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Park.objects.order_by("code"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_label", _("Whole zone"))
        kwargs.setdefault("label", _("park"))
        super().__init__(**kwargs)


class IndicatorForm(VersionedModelForm):
    """An indicator's definition (administrators). The code is fixed once created: URLs, imports and the API use it."""

    class Meta:
        model = Indicator
        fields = [
            "code",
            "name",
            "name_en",
            "unit",
            "category",
            "decimals",
            "higher_is_better",
            "min_value",
            "max_value",
            "is_headline",
            "definition",
            "sort_order",
        ]
        widgets = {"definition": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["code"].disabled = True
            if self.instance.kind == Kind.COMPUTED:
                # A computed indicator is declared in code; only what the sync leaves alone is set here.
                for name in list(self.fields):
                    if name not in (*COMPUTED_EDITABLE_FIELDS, "version"):
                        self.fields[name].disabled = True


class TargetForm(VersionedModelForm):
    class Meta:
        model = Target
        fields = ["indicator", "park", "year", "value", "source", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["park"].empty_label = _("Whole zone")


class IndicatorValueForm(StyledForm):
    """One value, saved through indicator_value_save: a warning of the checks asks for `explanation`."""

    indicator = forms.ModelChoiceField(
        queryset=Indicator.objects.filter(kind=Kind.REPORTED), label=_("indicator"), to_field_name="code"
    )
    park = ParkOrZoneField(to_field_name="code")
    year = year_field(help_text=_("For a value over several years: the span's last year."))
    span_start = forms.IntegerField(
        label=_("first year of the span"),
        min_value=1990,
        max_value=2100,
        required=False,
        help_text=_("Empty for a value of one year. For a total or a yearly average over 2017—2019: 2017."),
    )
    span_kind = forms.ChoiceField(label=_("span"), choices=[("", _("one year")), *SpanKind.choices], required=False)
    value = forms.DecimalField(label=_("value"), **VALUE_FIELD)
    source = forms.CharField(label=_("source"), max_length=255, required=False)
    note = forms.CharField(label=_("note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    explanation = forms.CharField(
        label=_("explanation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Why an unusual value is right (required when the checks warn)."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, instance=None, **kwargs):
        self.instance = instance
        if instance is not None:
            initial = kwargs.setdefault("initial", {})
            initial.update(
                indicator=instance.indicator.code,
                park=instance.park.code if instance.park_id else None,
                year=instance.year,
                span_start=instance.span_start,
                span_kind=instance.span_kind,
                value=plain_decimal(instance.value),
                source=instance.source,
                note=instance.note,
                version=instance.version,
            )
        super().__init__(*args, **kwargs)
        if instance is not None:
            # Which figure this is stays fixed; a different indicator, park, year or span is a new value.
            for name in ("indicator", "park", "year", "span_start", "span_kind"):
                self.fields[name].disabled = True
            self.fields["version"].required = True
            self.fields["version"].error_messages["required"] = _(
                "The form lost its version; open the record again and repeat your edit."
            )

    def clean(self):
        cleaned = super().clean()
        start, kind, year = cleaned.get("span_start"), cleaned.get("span_kind"), cleaned.get("year")
        if start is None and kind:
            self.add_error("span_start", _("A total or an average covers several years: give the first."))
        if start is not None:
            if year is not None and start >= year:
                self.add_error(
                    "span_start",
                    _("The span's first year must come before its last year (%(year)s).") % {"year": year},
                )
            if not kind:
                self.add_error("span_kind", _("Say whether the value is the years' total or their yearly average."))
        return cleaned


class EntrySelectionForm(StyledForm):
    """Which year and park the entry grid shows (GET)."""

    year = year_field()
    park = ParkOrZoneField(to_field_name="code")


class EntryRowForm(StyledForm):
    """One row of the entry grid; an empty value leaves the row alone."""

    value = forms.DecimalField(
        label=_("value"), required=False, widget=forms.TextInput(attrs={"inputmode": "decimal"}), **VALUE_FIELD
    )
    note = forms.CharField(label=_("note"), required=False)
    source = forms.CharField(label=_("source"), max_length=255, required=False)
    explanation = forms.CharField(label=_("explanation"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = field.widget.attrs.get("class", "")
            field.widget.attrs["class"] = css.replace("form-control", "form-control form-control-sm", 1)
        self.fields["value"].widget.attrs["class"] += " text-end pa-entry-value"

    def mark_invalid(self, name: str) -> None:
        widget = self.fields[name].widget
        if "is-invalid" not in widget.attrs.get("class", ""):
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()


class ReviewForm(StyledForm):
    """Approve or return one submitted value; returning needs a comment."""

    APPROVE, RETURN = "approve", "return"

    decision = forms.ChoiceField(choices=[(APPROVE, _("Approve")), (RETURN, _("Return"))])
    comment = forms.CharField(
        label=_("review comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    next = forms.CharField(widget=forms.HiddenInput, required=False)


class SeriesFilterForm(StyledForm):
    """Which series an indicator's page shows (GET): a park or the whole zone, with or without pending values."""

    park = ParkOrZoneField(to_field_name="code")
    include_pending = forms.BooleanField(label=_("include pending values"), required=False)
