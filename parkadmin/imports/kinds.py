"""The kinds of import: each app declares its importers in `<app>/importers.py` with `@register_importer`; the
pages, the command, the top bar and the list pages' import links ask here."""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

from django.db import models
from django.utils.module_loading import autodiscover_modules

if TYPE_CHECKING:
    from parkadmin.imports.pipeline import Importer

REGISTRY: dict[str, type[Importer]] = {}


def register_importer(importer: type[Importer]) -> type[Importer]:
    """Class decorator: make an importer available under its `kind` (to the pages and `import_data`)."""
    REGISTRY[importer.kind] = importer
    return importer


def registry() -> dict[str, type[Importer]]:
    """Every kind, in the order the apps declare them (each app's importers.py is imported on first use)."""
    _discover()
    return REGISTRY


@functools.cache
def _discover() -> None:
    # Once per process: the top bar asks on every page, and each try of an app without importers.py searches
    # the file system again.
    autodiscover_modules("importers")


def importer_for_model(model: type[models.Model]) -> type[Importer] | None:
    return next((importer for importer in registry().values() if importer.model is model), None)


def importable(user) -> list[type[Importer]]:
    """The kinds `user` may import: those whose records the user may add."""
    return [importer for importer in registry().values() if user.has_perm(importer.permission())]
