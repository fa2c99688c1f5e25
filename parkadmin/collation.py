"""Chinese names in pinyin order, as people look them up in a list (阿 … 北 … 张 … 中), not by code point.

PostgreSQL orders by its ICU collation `zh-x-icu`; SQLite by a collation `pinyin` that every new connection
registers (connection_created), comparing the names' pinyin as pypinyin spells it. `by_pinyin("name")` is the
expression for `order_by`; tables (parkadmin.tables) sort every column whose key ends in `name` with it.
"""

from __future__ import annotations

import functools

from django.db.models import F
from django.db.models.functions import Collate
from pypinyin import lazy_pinyin

ICU_CHINESE = "zh-x-icu"
SQLITE_PINYIN = "pinyin"


class ByPinyin(Collate):
    """A text expression collated in pinyin order on whichever database runs the query."""

    def __init__(self, expression):
        super().__init__(expression, SQLITE_PINYIN)

    def as_postgresql(self, compiler, connection, **extra_context):
        collated = self.copy()
        collated.collation = ICU_CHINESE
        return collated.as_sql(compiler, connection, **extra_context)


def by_pinyin(field: str) -> ByPinyin:
    return ByPinyin(F(field))


@functools.lru_cache(maxsize=20_000)
def pinyin_key(text: str) -> tuple:
    """Character by character, as ICU's Chinese order has it: spaces, signs and digits first, then Chinese characters
    by their pinyin, then letters of other scripts; the text itself breaks ties."""
    return tuple(character_key(character) for character in text), text


def character_key(character: str) -> tuple[int, str]:
    if "\u3400" <= character <= "\u9fff":
        return 1, lazy_pinyin(character)[0]
    if character.isalpha():
        return 2, character.lower()
    return 0, character


def compare(first: str | None, second: str | None) -> int:
    first_key, second_key = pinyin_key(first or ""), pinyin_key(second or "")
    return (first_key > second_key) - (first_key < second_key)


def register_sqlite_collation(sender, connection, **kwargs) -> None:
    """connection_created: give a new SQLite connection the pinyin collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_PINYIN, compare)
