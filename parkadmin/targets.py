"""Year targets (年度目标) for an app that may not read the indicators app: the projects' scoreboards compare the
funds that arrived with the year's target for 到位资金.

Targets belong to the indicators app, which the apps that own the records may not import (the import contracts in
pyproject.toml), as the indicators app may not import them. The registry lives in the shared machinery, as the
computed indicators' does (parkadmin/computed.py) the other way round: the indicators app registers its provider in
`IndicatorsConfig.ready()`, and a reader asks here. Without a provider (the indicators app not installed) there are
no targets, and a reader shows none.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class YearTarget:
    """A year's target in its indicator's unit (亿元, 万元, 个 …)."""

    value: Decimal
    unit: str


# (indicator code, year) → {park id, None for the whole zone: target}
TargetProvider = Callable[[str, int], dict[int | None, YearTarget]]

_provider: TargetProvider | None = None


def register_target_provider(provider: TargetProvider) -> None:
    """Called once by the app that keeps the targets."""
    global _provider
    _provider = provider


def year_targets(code: str, year: int) -> dict[int | None, YearTarget]:
    """The targets of the indicator `code` for `year` by park (None: the whole zone); empty when there are none."""
    return {} if _provider is None else _provider(code, year)
