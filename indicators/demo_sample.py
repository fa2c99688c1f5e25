"""The demo's sample values: a current year (the article's 2020) with a value for every headline indicator, so the
dashboard opens on a full year.

The article reports 2019; of 2020 it gives only the incubator's counts and the year's targets. The values here are
invented and say so (`DEMO_SOURCE` as their source, a note): those the records can give (high-tech enterprises,
projects, funds) are the demo's sample records' own figures, so the reconciliation agrees; the others continue the
article's series plausibly. Loading again changes nothing.
"""

from __future__ import annotations

from decimal import Decimal

from indicators.models import Indicator, IndicatorValue
from parkadmin import computed
from parkadmin.sample import DEMO_SOURCE, EXPLANATION, INVENTED_NOTE, RECORDS_NOTE

SAMPLE_YEAR = 2020
# Figures no record gives: the article's series continued (2019: 7.26亿元, 61.29亿元, 8th, 1845万美元) and the
# article's 2020 targets met. New high-tech enterprises are those first certified in 2020 in the sample records
# (enterprises.demo_sample.HITECH_FIRST_CERTIFIED).
INVENTED = {
    "fiscal_revenue": Decimal("7.68"),
    "hitech_output": Decimal("67.45"),
    "rank_province_hitech_zones": Decimal(7),
    "foreign_trade": Decimal(2106),
    "new_hitech_enterprises": Decimal(7),
    "new_rd_institutions": Decimal(3),
    "new_patents": Decimal(96),
}


def load() -> dict:
    """Approved values of the whole zone for SAMPLE_YEAR where the article gives none; returns their count."""
    from indicators.demo import save_value

    indicators = {i.code: i for i in Indicator.objects.all()}
    given = set(
        IndicatorValue.objects.filter(year=SAMPLE_YEAR, park=None)
        .exclude(source=DEMO_SOURCE)
        .values_list("indicator__code", flat=True)
    )
    written = 0
    for entry in computed.REGISTRY.values():
        if entry.reconciles in indicators and entry.reconciles not in given:
            value = computed.compute(entry.code, SAMPLE_YEAR)
            if value is not None:
                save_value(
                    indicators[entry.reconciles], SAMPLE_YEAR, value, RECORDS_NOTE, DEMO_SOURCE, explanation=EXPLANATION
                )
                written += 1
    for code, value in INVENTED.items():
        if code in indicators and code not in given:
            save_value(indicators[code], SAMPLE_YEAR, value, INVENTED_NOTE, DEMO_SOURCE, explanation=EXPLANATION)
            written += 1
    return {"sample indicator values": written}
