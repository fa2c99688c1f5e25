"""Stored names in the interface's language: a park, a cluster or an indicator keeps its Chinese `name` and, where
someone gave one, an English `name_en`. The English interface shows the English name where there is one; names
nobody translated stay as written."""

from __future__ import annotations

from django.conf import settings

from parkadmin.formatting import english


class EnglishNamed:
    """For a model with `name` and `name_en`: `local_name` is the one the interface shows, and `str()` gives it."""

    name: str
    name_en: str

    @property
    def local_name(self) -> str:
        return local_name(self.name, self.name_en)

    def __str__(self) -> str:
        return self.local_name


def local_name(name: str, name_en: str | None) -> str:
    """The name the interface shows, from a Chinese name and an English one (values() rows carry both)."""
    return name_en if name_en and english() else name


def zone_name() -> str:
    """The zone's name in the interface's language (settings ZONE_NAME and ZONE_NAME_EN)."""
    return local_name(settings.ZONE_NAME, settings.ZONE_NAME_EN)
