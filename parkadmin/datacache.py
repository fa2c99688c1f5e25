"""Figures cached until the records they come from change: the dashboard's pattern (dashboard/cache.py), for a
reader that names its models itself (the shared machinery imports no app).

A cached entry's key carries a *data version* of two parts: a counter kept in the cache that `post_save` /
`post_delete` of every watched model moves on (in this process at once, in every process when the cache is shared),
and a fingerprint of the watched tables read in one cheap query — the highest id of each table and of its history
table — which also sees writes the signals miss (another process with its own local-memory cache, bulk inserts).
The key also carries the language and whatever the caller adds (the day, the filters). Entries expire after an
hour in any case; nothing relies on that for correctness.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_delete, post_save
from django.utils import translation

T = TypeVar("T")
TIMEOUT = 3600


class DataCache:
    """Values cached under `name` for the current data of the models `models()` returns."""

    def __init__(self, name: str, models: Callable[[], list]):
        self.name = name
        self.models = models
        self.counter_key = f"parkadmin:{name}:version"
        self._sql: str | None = None

    def invalidate(self, **kwargs) -> None:
        """Make every cached value stale (a signal receiver; also for bulk writes)."""
        try:
            cache.incr(self.counter_key)
        except ValueError:
            cache.set(self.counter_key, 1, None)

    def connect(self) -> None:
        """Move the counter on every save and delete of a watched model; call once from an AppConfig.ready()."""
        for model in self.models():
            label = model._meta.label_lower
            post_save.connect(self.invalidate, sender=model, dispatch_uid=f"{self.name}-save-{label}")
            post_delete.connect(self.invalidate, sender=model, dispatch_uid=f"{self.name}-delete-{label}")

    def fingerprint_sql(self) -> str:
        """One SELECT of the highest id of every watched table and of its history table (built once)."""
        if self._sql is None:
            quote = connection.ops.quote_name
            parts = []
            for model in self.models():
                metas = [model._meta]
                history = getattr(model, "history", None)
                if history is not None:
                    metas.append(history.model._meta)
                parts += [f"(SELECT MAX({quote(meta.pk.column)}) FROM {quote(meta.db_table)})" for meta in metas]
            self._sql = "SELECT " + ", ".join(parts)
        return self._sql

    def version(self) -> str:
        counter = cache.get(self.counter_key)
        if counter is None:
            cache.add(self.counter_key, 0, None)
            counter = cache.get(self.counter_key, 0)
        with connection.cursor() as cursor:
            cursor.execute(self.fingerprint_sql())
            row = cursor.fetchone()
        return f"{counter}:" + hashlib.blake2b(repr(row).encode(), digest_size=8).hexdigest()

    def cached(self, key: str, compute: Callable[[], T], *parts) -> T:
        """`compute()`, or its value cached under `key` and `parts` for the current data and language."""
        key_parts = (self.version(), translation.get_language(), *parts)
        digest = hashlib.blake2b(repr(key_parts).encode(), digest_size=16).hexdigest()
        full_key = f"parkadmin:{self.name}:{key}:{digest}"
        value = cache.get(full_key)
        if value is None:
            value = compute()
            cache.set(full_key, value, TIMEOUT)
        return value
