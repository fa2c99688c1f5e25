"""Computed indicators: figures derived from the records, declared by the app that owns the records.

Each app lists what it can compute in its `computed.py` (autodiscovered, like `admin.py`):

    register_computed(code="hitech_enterprises_records", name="高新技术企业数（台账）", unit="家",
                      category="innovation", reconciles="hitech_enterprises",
                      compute=lambda year, park: hitech_enterprise_count(year=year, park=park))

Computed values are never stored or typed in; `indicators.services.sync_indicators` keeps an Indicator row for each
(kind computed) so they list, chart and export like reported ones. The registry lives in the shared machinery so the
apps that own the records declare their figures without importing the indicators app.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.module_loading import autodiscover_modules


@dataclass(frozen=True)
class ComputedIndicator:
    code: str
    name: str
    unit: str
    category: str
    compute: Callable[[int, object], Decimal | int | None]
    name_en: str = ""
    decimals: int = 0
    reconciles: str = ""
    definition: str = ""
    higher_is_better: bool = True


REGISTRY: dict[str, ComputedIndicator] = {}


def register_computed(**fields) -> ComputedIndicator:
    entry = ComputedIndicator(**fields)
    REGISTRY[entry.code] = entry
    return entry


def discover() -> None:
    autodiscover_modules("computed")


def compute(code: str, year: int, park=None) -> Decimal | None:
    """The figure the records give for `year` (and `park`); None where they give none, or where `code` is no longer
    registered (a computed indicator's row outlives its code when the code is renamed or its app removed)."""
    entry = REGISTRY.get(code)
    value = None if entry is None else entry.compute(year, park)
    return None if value is None else Decimal(value)
