"""How much an import reads and handles at once."""

from __future__ import annotations

from django.conf import settings

# The widest header row read from a file; wider rows are read only as far as their header goes.
MAX_COLUMNS = 200
# Lookups and existing-record queries go in chunks, well under SQLite's limit on query parameters.
CHUNK = 300
# Rows validated and saved together: new records are inserted this many at a time.
BATCH = 1000


def max_bytes() -> int:
    return settings.IMPORT_MAX_BYTES


def max_rows() -> int:
    return settings.IMPORT_MAX_ROWS
