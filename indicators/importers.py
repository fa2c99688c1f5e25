"""What the indicators app imports through the shared pipeline (parkadmin.imports): reported values and targets.

Values go through indicators.services.indicator_value_save, so an import meets the checks at entry (impossible
values refused; suspicious ones need the `explanation` column) and the review rules: imported values are
submitted for review, entered by the importing user — or approved by that user, with `import_data --approve --user`
(a reviewer).
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from indicators.choices import Kind, SpanKind, ValueStatus
from indicators.forms import IndicatorValueForm, TargetForm
from indicators.models import Indicator, IndicatorValue, Target
from indicators.services import indicator_value_save
from parkadmin.imports.kinds import register_importer
from parkadmin.imports.parsers import Choice, Integer, Number, Ref, cell_text
from parkadmin.imports.pipeline import ImportColumn, Importer
from parkadmin.imports.results import CREATED, UNCHANGED, UPDATED
from parks.models import Park

INDICATOR = Ref(Indicator, ("code", "name"), whole_table=True)
# What a file may say for the whole zone instead of leaving the park empty (the lists export it so).
WHOLE_ZONE = _("whole zone")


class ParkOrZone(Ref):
    """A park by code or name; empty, or the words “whole zone”, for the zone as a whole."""

    def __init__(self):
        super().__init__(Park, ("code", "name"), whole_table=True)

    def describe(self) -> str:
        return str(_("code or name of a park; empty for the whole zone"))

    def bind(self, cells):
        parse_park = super().bind(cells)
        zone_words = set()
        for language in ("zh-hans", "en"):
            with translation.override(language):
                zone_words.add(str(WHOLE_ZONE).replace(" ", "").lower())

        def parse(value):
            if cell_text(value).replace(" ", "").lower() in zone_words:
                return None
            return parse_park(value)

        return parse


PARK_OR_ZONE = ParkOrZone()


class IndicatorValueImportForm(IndicatorValueForm):
    """The value form as an import fills it. The indicator is any the file's lookup fetched (whole table, so the
    import pipeline takes it as fetched instead of looking it up again per row): save_row has already refused a
    computed one, with the model's own reason."""

    indicator = forms.ModelChoiceField(queryset=Indicator.objects.all(), label=_("indicator"), to_field_name="code")


@register_importer
class IndicatorValueImporter(Importer):
    kind = "indicator-values"
    model = IndicatorValue
    form_class = IndicatorValueImportForm
    approve_permission = "indicators.approve_indicatorvalue"
    key = ("indicator", "park", "year", "span_start")
    columns = [
        ImportColumn("indicator", "指标代码", INDICATOR, required=True, example="fiscal_revenue"),
        ImportColumn("year", "年份", Integer(), required=True, example=2019),
        ImportColumn("value", "数值", Number(), required=True, example=7.26),
        ImportColumn("park", "园区", PARK_OR_ZONE, note=_("empty for the whole zone")),
        ImportColumn(
            "span_start",
            "起始年份",
            Integer(),
            note=_("empty for a value of one year; for a value over several years, the first (年份 is the last)"),
        ),
        ImportColumn(
            "span_kind", "跨年类型", Choice(SpanKind), note=_("with 起始年份: 累计 (total) or 年均 (average)")
        ),
        ImportColumn("source", "来源", example="统计年报"),
        ImportColumn("note", "备注"),
        ImportColumn(
            "explanation", "情况说明", note=_("why an unusual value is right (required when the checks warn)")
        ),
    ]

    def save_row(self, values, instance):
        indicator, park = values["indicator"], values.get("park")
        if indicator.kind == Kind.COMPUTED:
            IndicatorValue(indicator=indicator).clean()  # refuses it, with the model's own reason
        # The form gets the records the file's lookup fetched, and no instance: the stored value the key found has
        # this indicator, park and year, and reading them from it would fetch them again.
        data = {
            "indicator": indicator,
            "park": park or "",
            "year": values["year"],
            "span_start": values.get("span_start"),
            "span_kind": values.get("span_kind") or "",
            "value": values["value"],
            "source": values.get("source") or "",
            "note": values.get("note") or "",
            "explanation": values.get("explanation") or "",
        }
        if instance is not None:
            for name in ("source", "note", "explanation"):
                if name not in values:  # a column the file leaves out keeps its value
                    data[name] = getattr(instance, name)
        form = self.form_for(self.form_class)(data=data)
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        cleaned = form.cleaned_data
        if instance is not None and self._same(instance, cleaned):
            return UNCHANGED, instance
        record = indicator_value_save(
            indicator=indicator,
            year=cleaned["year"],
            span_start=cleaned["span_start"],
            span_kind=cleaned["span_kind"],
            park=park,
            value=cleaned["value"],
            source=cleaned["source"].strip(),
            note=cleaned["note"],
            explanation=cleaned["explanation"],
            user=self.user,
            submit=True,
            approve=self.approve,
            instance=instance,
            imported=True,
        )
        return (UPDATED if instance is not None else CREATED), record

    def _same(self, instance: IndicatorValue, cleaned: dict) -> bool:
        """A row that repeats the stored figure changes nothing (its review status stays as it is)."""
        if self.approve and instance.status != ValueStatus.APPROVED:
            return False
        return (
            instance.value == cleaned["value"]
            and instance.span_kind == cleaned["span_kind"]
            and instance.source == cleaned["source"].strip()
            and instance.note == cleaned["note"]
            and instance.explanation == cleaned["explanation"].strip()
        )


@register_importer
class TargetImporter(Importer):
    kind = "targets"
    model = Target
    form_class = TargetForm
    key = ("indicator", "park", "year")
    columns = [
        ImportColumn("indicator", "指标代码", INDICATOR, required=True, example="fiscal_revenue"),
        ImportColumn("year", "年份", Integer(), required=True, example=2020),
        ImportColumn("value", "目标值", Number(), required=True, example=8),
        ImportColumn("park", "园区", PARK_OR_ZONE, note=_("empty for the whole zone")),
        ImportColumn("source", "来源", example="年度工作目标"),
        ImportColumn("note", "备注"),
    ]
