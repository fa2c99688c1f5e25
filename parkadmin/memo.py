"""A memo that lives for one request: the dashboard asks several computed indicators for the same yearly figures,
and each should be worked out once. Outside `memo_scope()` nothing is remembered, so no figure is ever stale."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_memo: ContextVar[dict | None] = ContextVar("parkadmin_memo", default=None)


@contextmanager
def memo_scope() -> Iterator[None]:
    token = _memo.set({})
    try:
        yield
    finally:
        _memo.reset(token)


def memoized(func):
    """Remember `func`'s result per arguments within the current memo scope (arguments must be hashable). The
    arguments are matched as the function sees them: f(2024) and f(year=2024, park=None) are one call."""
    signature = inspect.signature(func)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        cache = _memo.get()
        if cache is None:
            return func(*args, **kwargs)
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        key = (func.__module__, func.__qualname__, tuple(bound.arguments.items()))
        if key not in cache:
            cache[key] = func(*args, **kwargs)
        return cache[key]

    return wrapper
