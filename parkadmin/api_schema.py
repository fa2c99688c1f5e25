"""The OpenAPI schema (/api/schema/, `manage.py spectacular`): written in English whatever the reader's language.

Field titles, enum descriptions and help texts are translated strings; generated in the reader's language, the
schema would differ from reader to reader and a client generated from a Chinese one would get Chinese class and
module names. One schema for every reader: the same bytes whatever Accept-Language, language cookie or `?lang=`.
"""

from __future__ import annotations

from django.utils import translation
from drf_spectacular.generators import SchemaGenerator


class EnglishSchemaGenerator(SchemaGenerator):
    """drf-spectacular's generator, run in English (its result holds no lazy strings: they are resolved here)."""

    def get_schema(self, request=None, public=False):
        with translation.override("en"):
            return super().get_schema(request=request, public=public)
