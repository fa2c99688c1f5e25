"""The dashboard's figures, cached per year, park and pending flag, and never stale after a write.

A cached entry's key carries a *data version* made of two parts:

- a counter kept in the cache that `post_save` / `post_delete` of every model the dashboard reads move on — at once
  in this process, and in every process when the cache is shared (Redis, `REDIS_URL`);
- a fingerprint of those tables read in one cheap query (the highest id of each table and of its history table),
  which also sees what signals cannot: a write by another process while each keeps its own local-memory cache
  (another web worker, `manage.py import_data`), and bulk inserts.

The key also carries the language (the figures hold translated labels) and the day (overdue counts and the year's
pace depend on it). Entries expire after an hour in any case; nothing relies on that for correctness.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.utils import timezone, translation

from parkadmin.memo import memoized

T = TypeVar("T")

VERSION_KEY = "parkadmin:dashboard:version"
TIMEOUT = 3600


def watched_models() -> list:
    """Every model whose records the dashboard's figures are computed from."""
    from enterprises.models import Enterprise, EnterpriseYear, Incubation, Incubator, Qualification, ServiceRequest
    from indicators.models import Indicator, IndicatorValue, Target
    from parks.models import IndustryCluster, Park
    from projects.models import FundArrival, Project, StageChange

    return [
        Park,
        IndustryCluster,
        Enterprise,
        EnterpriseYear,
        Qualification,
        Incubator,
        Incubation,
        ServiceRequest,
        Project,
        StageChange,
        FundArrival,
        Indicator,
        IndicatorValue,
        Target,
    ]


def invalidate(**kwargs) -> None:
    """Make every cached figure stale (a signal receiver; also called after bulk writes)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 1, None)


def connect() -> None:
    """Move the counter on every save and delete of a watched model; called once from DashboardConfig.ready(), so
    every process (web workers, `import_data`, `load_demo`) has the receivers, not only those that load the URLs."""
    for model in watched_models():
        label = model._meta.label_lower
        post_save.connect(invalidate, sender=model, dispatch_uid=f"dashboard-cache-save-{label}")
        post_delete.connect(invalidate, sender=model, dispatch_uid=f"dashboard-cache-delete-{label}")


@functools.cache
def fingerprint_sql(vendor: str) -> str:
    """One SELECT of the highest id of every watched table and of its history table (built once per process)."""
    quote = connection.ops.quote_name
    parts = []
    for model in watched_models():
        parts.append(f"(SELECT MAX({quote(model._meta.pk.column)}) FROM {quote(model._meta.db_table)})")
        history = getattr(model, "history", None)
        if history is not None:
            meta = history.model._meta
            parts.append(f"(SELECT MAX({quote(meta.pk.column)}) FROM {quote(meta.db_table)})")
    return "SELECT " + ", ".join(parts)


@memoized
def data_version() -> str:
    """The version of the data the figures come from; once per request inside a memo scope."""
    counter = cache.get(VERSION_KEY)
    if counter is None:
        cache.add(VERSION_KEY, 0, None)
        counter = cache.get(VERSION_KEY, 0)
    with connection.cursor() as cursor:
        cursor.execute(fingerprint_sql(connection.vendor))
        row = cursor.fetchone()
    return f"{counter}:" + hashlib.blake2b(repr(row).encode(), digest_size=8).hexdigest()


def cached(name: str, compute: Callable[[], T], *parts) -> T:
    """`compute()`, or its result cached under `name` and `parts` for the current data, language and day."""
    key_parts = (data_version(), translation.get_language(), timezone.localdate().isoformat(), *parts)
    digest = hashlib.blake2b(repr(key_parts).encode(), digest_size=16).hexdigest()
    key = f"parkadmin:dashboard:{name}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value
