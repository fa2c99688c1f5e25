"""The shape of /api/dashboard/, typed: the schema's `Dashboard` component and everything in it.

The answer is built by `dashboard.views.api_figures` from the selectors (and cached); these serializers describe
it field by field so that a client generated from the schema gets types, not a free-form object. Amounts are in
万元, percentages rounded to 2 places; a figure that cannot be worked out is null.
"""

from __future__ import annotations

from rest_framework import serializers

from enterprises.choices import ProblemCategory
from projects.choices import Stage


def number(help_text: str, *, null: bool = False) -> serializers.FloatField:
    return serializers.FloatField(allow_null=null, help_text=help_text)


def count(help_text: str) -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, help_text=help_text)


class DashboardIndicatorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Indicator code.")
    name = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    value = number(
        "The year's value; null where there is none. Where the year has no value of its own but a value over "
        "several years ends in it (`span_start` set), that value: never the year's figure, so with no `yoy_pct`, "
        "`target_pct` or pace.",
        null=True,
    )
    yoy_pct = number("Change against the previous year, %; null without last year's value.", null=True)
    target = number("The year's target; null where there is none.", null=True)
    target_pct = number("Value as a share of the target, %; null without both.", null=True)
    source = serializers.CharField(allow_blank=True)
    status = serializers.CharField(
        allow_null=True, help_text="`draft`, `submitted`, `approved`, `computed` (from the records), or null."
    )
    higher_is_better = serializers.BooleanField()
    span_start = serializers.IntegerField(
        allow_null=True, help_text="The first year of a value over several years ending in `year`; null for a year's."
    )
    span_kind = serializers.CharField(
        allow_blank=True, help_text="With `span_start`: `total` (累计) or `average` (年均); empty for a year's value."
    )


class DashboardStageSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices)
    name = serializers.CharField(help_text="The stage's name in the reader's language.")
    count = count("Projects at this stage now.")
    amount = number(
        "Their contract investment, 万元: the sum of the amounts known; null where every one is unknown (未填报).",
        null=True,
    )
    amount_missing = serializers.IntegerField(
        min_value=0, help_text="Of them, how many have no contract investment filled in (left out of `amount`)."
    )


class DashboardProjectsSerializer(serializers.Serializer):
    signed_count = count("Projects signed in the year.")
    signed_investment = number(
        "Their contract investment, 万元: the sum of the amounts known; null where every one is unknown (未填报).",
        null=True,
    )
    signed_investment_missing = count("Of them, how many have no contract investment filled in.")
    over_1bn_count = count("Signed in the year with a contract investment of at least 100000 万元.")
    over_100m_count = count("Signed in the year with a contract investment of at least 10000 万元.")
    started_count = count("Projects that started construction in the year.")
    production_count = count("Projects that went into production in the year.")
    funds_arrived = number("Funds arrived in the year, 万元.")
    by_stage = DashboardStageSerializer(many=True, help_text="Every project by its stage now, in pipeline order.")


class DashboardIncubationSerializer(serializers.Serializer):
    incubating = count("Enterprises incubating at the end of the year.")
    entered = count("Entered in the year.")
    graduated = count("Graduated in the year.")
    exited = count("Left without graduating in the year.")


class DashboardProblemCategorySerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=ProblemCategory.choices)
    name = serializers.CharField(help_text="The category's name in the reader's language.")
    open = count("Not yet resolved.")
    overdue = count("Past their due date and not resolved.")


class DashboardServiceRequestsSerializer(serializers.Serializer):
    open = count("Open now.")
    in_progress = count("In progress now.")
    overdue = count("Past their due date and not resolved, now.")
    raised = count("Raised in the year.")
    resolved = count("Resolved in the year.")
    median_days_to_resolve = number("Median days from raised to resolved, in the year; null if none.", null=True)
    by_category = DashboardProblemCategorySerializer(many=True)


class DashboardReconciliationSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="The reported indicator's code.")
    name = serializers.CharField()
    unit = serializers.CharField(allow_blank=True)
    reported = number("The reported figure.")
    records = number("The same measure worked out from the records; null where it cannot be.", null=True)
    agrees = serializers.BooleanField(help_text="Whether the two agree to 0.005.")
    verdict = serializers.ChoiceField(
        choices=["agrees", "incomplete", "disagrees"],
        help_text="`agrees`; `incomplete`: the records hold less than reported and are not known to be complete "
        "(records still missing); `disagrees`: they hold more, or less although the indicator's records are marked "
        "complete.",
    )


class DashboardSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    park = serializers.CharField(allow_null=True, help_text="Park code; null for the whole zone.")
    indicators = DashboardIndicatorSerializer(many=True)
    projects = DashboardProjectsSerializer()
    incubation = DashboardIncubationSerializer()
    service_requests = DashboardServiceRequestsSerializer()
    reconciliation = DashboardReconciliationSerializer(many=True)
