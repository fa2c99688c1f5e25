"""Pages of the indicators app: definitions with their series, values (their form, the entry grid, the review
queue) and targets, one module each.

Every write of a value goes through indicators.services, which runs the checks at entry and the review rules;
the pages' reads beyond a queryset come from indicators.selectors.
"""

from indicators.views.entry import EntryGridView
from indicators.views.indicators import IndicatorDetailView, IndicatorEditView, IndicatorListView
from indicators.views.targets import TargetDeleteView, TargetDetailView, TargetEditView, TargetListView
from indicators.views.values import (
    IndicatorValueDeleteView,
    IndicatorValueDetailView,
    IndicatorValueEditView,
    IndicatorValueListView,
    IndicatorValueSubmitView,
    ReviewDecisionView,
    ReviewQueueView,
)

__all__ = [
    "EntryGridView",
    "IndicatorDetailView",
    "IndicatorEditView",
    "IndicatorListView",
    "IndicatorValueDeleteView",
    "IndicatorValueDetailView",
    "IndicatorValueEditView",
    "IndicatorValueListView",
    "IndicatorValueSubmitView",
    "ReviewDecisionView",
    "ReviewQueueView",
    "TargetDeleteView",
    "TargetDetailView",
    "TargetEditView",
    "TargetListView",
]
