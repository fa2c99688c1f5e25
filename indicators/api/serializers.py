from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from indicators.choices import Kind, ValueStatus
from indicators.models import COMPUTED_EDITABLE_FIELDS, Indicator, IndicatorValue, Target
from indicators.services import indicator_value_save
from parkadmin.api import VersionedSerializer
from parks.models import Park


def park_field():
    return serializers.SlugRelatedField(
        slug_field="code",
        queryset=Park.objects.all(),
        allow_null=True,
        required=False,
        help_text="The park's code; null for the whole zone.",
    )


def indicator_field(**kwargs):
    return serializers.SlugRelatedField(
        slug_field="code", queryset=Indicator.objects.all(), help_text="The indicator's code.", **kwargs
    )


class IndicatorSerializer(VersionedSerializer):
    """An indicator definition, by the definition form's rules. Computed indicators are declared by the apps and kept
    in step with them, so `kind` is not written here (indicators created through the API are reported ones) and of a
    computed indicator only COMPUTED_EDITABLE_FIELDS change. An indicator's `code` is fixed once it exists."""

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
            "kind",
            "definition",
            "min_value",
            "max_value",
            "is_headline",
            "reconciles",
            "records_complete",
            "version",
        ]
        read_only_fields = ["kind"]
        extra_kwargs = {
            "code": {"help_text": "Fixed once the indicator exists: URLs, imports and the API name it by its code."},
            "records_complete": {
                "help_text": "Computed indicators: the records hold every case, so a figure below the reported one "
                "is a disagreement rather than records still missing (see the reconciliation's `verdict`)."
            },
        }

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None:
            refuse_fixed_field_changes(self.instance, attrs)
        return attrs


def refuse_fixed_field_changes(indicator: Indicator, attrs: dict) -> None:
    """Refuse a change to what the form does not let change; a field sent with its stored value is no change."""
    errors = {}
    if attrs.get("code", indicator.code) != indicator.code:
        if indicator.kind == Kind.COMPUTED:
            errors["code"] = [_("A computed indicator keeps the code its app declares it under.")]
        else:
            errors["code"] = [_("An indicator keeps its code once created: pages, imports and the API name it by it.")]
    if indicator.kind == Kind.COMPUTED:
        for name, value in attrs.items():
            if name in (*COMPUTED_EDITABLE_FIELDS, "code", "version") or value == getattr(indicator, name):
                continue
            errors[name] = [
                _(
                    "A computed indicator is declared by its app: only its headline flag and its lowest and highest "
                    "possible values are set here."
                )
            ]
    if errors:
        raise serializers.ValidationError(errors)


class SeriesPointSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    value = serializers.FloatField(help_text="Rounded to the indicator's decimals.")
    yoy_pct = serializers.FloatField(
        allow_null=True, help_text="Growth on the previous calendar year in %; null where that year has no value."
    )
    status = serializers.CharField(
        help_text="The value's review status (`approved`, or a pending one when asked for); `computed` for "
        "indicators computed from the records."
    )


class SeriesSerializer(serializers.Serializer):
    """The body of `GET /api/indicators/{code}/series/`."""

    indicator = serializers.CharField(help_text="The indicator's code.")
    unit = serializers.CharField()
    points = SeriesPointSerializer(many=True)
    cagr_pct = serializers.FloatField(
        allow_null=True, help_text="Average annual growth from the first to the last point in %."
    )


class IndicatorValueSerializer(VersionedSerializer):
    """A reported value. Writes go through the checks at entry; a value written here is a draft, or submitted
    with `submit: true` — it is approved only through the approve action, by someone else."""

    indicator = indicator_field()
    park = park_field()
    period_label = serializers.CharField(
        read_only=True,
        help_text="What the value covers, in words of the reader's language: the year (`2019`), or the span and "
        "its kind (`2017—2019年累计`, `2017–2019 total`).",
    )
    submit = serializers.BooleanField(
        write_only=True,
        required=False,
        help_text="Submit the value for review with this write. Left out on an update, a submitted value stays "
        "submitted.",
    )

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "indicator",
            "park",
            "year",
            "span_start",
            "span_kind",
            "period_label",
            "value",
            "status",
            "source",
            "note",
            "explanation",
            "review_comment",
            "entered_by",
            "approved_by",
            "approved_at",
            "version",
            "submit",
        ]
        read_only_fields = ["status", "review_comment", "entered_by", "approved_by", "approved_at"]
        extra_kwargs = {
            "year": {"help_text": "The value's year; for a value over several years, the span's last year."},
            "span_start": {
                "help_text": "Null for a value of one year. For a value over several years (a total or a yearly "
                "average, e.g. 2017—2019): the first year, before `year`. Such a value never enters a year's "
                "series, growth, CAGR or the dashboard's year figures."
            },
            "span_kind": {
                "help_text": "With `span_start`: `total` (the years' total, 累计) or `average` (their yearly average "
                "or average growth, 年均); empty for a value of one year."
            },
        }
        # The model's constraints are checked when the value is saved, with the model's own message.
        validators = []

    def _save(self, validated_data, instance=None):
        request = self.context.get("request")
        user = request.user if request is not None and request.user.is_authenticated else None

        def pick(name, default=""):
            if name in validated_data:
                return validated_data[name]
            return getattr(instance, name) if instance is not None else default

        submit = validated_data.get("submit")
        if submit is None:
            submit = instance is not None and instance.status == ValueStatus.SUBMITTED
        return indicator_value_save(
            indicator=pick("indicator"),
            year=pick("year"),
            span_start=pick("span_start", None),
            span_kind=pick("span_kind"),
            value=pick("value"),
            park=pick("park", None),
            source=pick("source"),
            note=pick("note"),
            explanation=pick("explanation"),
            user=user,
            submit=submit,
            instance=instance,
            expected_version=validated_data.get("version"),
        )

    def create(self, validated_data):
        return self._save(validated_data)

    def update(self, instance, validated_data):
        return self._save(validated_data, instance)


class ReviewSerializer(serializers.Serializer):
    """The body of the submit action."""

    version = serializers.IntegerField(
        required=False, min_value=1, help_text="The value's version as read; a stale one is refused with 409."
    )


class ApproveSerializer(serializers.Serializer):
    """The body of the approve action: the version approved is required, so that a reviewer approves the figure they
    read, not whatever the value has become since."""

    version = serializers.IntegerField(
        min_value=1,
        help_text="The value's version as read (required); a stale one is refused with 409.",
        error_messages={"required": _("Send the version of the value you reviewed (read it again if unsure).")},
    )


class ReturnSerializer(ApproveSerializer):
    """The body of the return action: the version returned is required, as for approving."""

    comment = serializers.CharField(help_text="What needs correcting.")


class TargetSerializer(VersionedSerializer):
    indicator = indicator_field()
    park = park_field()

    class Meta:
        model = Target
        fields = ["id", "indicator", "park", "year", "value", "source", "note", "version"]
        validators = []
