"""The blank template a user downloads for a kind of import: the headers and an example row, the allowed values
(with drop-down lists on the data sheet), and what each column takes."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from parkadmin.imports.limits import max_rows
from parkadmin.imports.parsers import cell_text
from parkadmin.xlsxstream import column_letter

if TYPE_CHECKING:
    from parkadmin.imports.pipeline import Importer


def template_workbook(importer: type[Importer], target) -> None:
    """Write the import template of a kind to `target` (a path or binary file): the Chinese headers and an example
    row; a sheet of allowed values (with drop-down lists on the data sheet); a sheet describing each column.

    Strings are never written as formulas.
    """
    import xlsxwriter

    workbook = xlsxwriter.Workbook(target, {"strings_to_formulas": False, "strings_to_urls": False})
    data = workbook.add_worksheet(_("Data")[:31])
    lists = workbook.add_worksheet(_("Allowed values")[:31])
    notes = workbook.add_worksheet(_("Columns")[:31])
    bold = workbook.add_format({"bold": True, "bg_color": "#E9EEF5", "border": 1})
    required = workbook.add_format({"bold": True, "bg_color": "#FCE8D5", "border": 1})
    example = workbook.add_format({"italic": True, "font_color": "#6C757D"})
    for col, column in enumerate(importer.columns):
        data.write_string(0, col, column.header, required if column.required else bold)
        data.set_column(col, col, max(12, min(40, len(column.header.encode("utf-8")) + 2)))
        value = column.example
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            data.write_number(1, col, float(value), example)
        else:
            data.write_string(1, col, cell_text(value), example)
    data.freeze_panes(1, 0)

    list_col = 0
    for col, column in enumerate(importer.columns):
        allowed = column.parser.allowed()
        if not allowed:
            continue
        lists.write_string(0, list_col, column.header, bold)
        lists.write_string(0, list_col + 1, _("meaning"), bold)
        for row, (value, meaning) in enumerate(allowed, start=1):
            lists.write_string(row, list_col, value)
            lists.write_string(row, list_col + 1, meaning)
        lists.set_column(list_col, list_col + 1, 22)
        sheet_name = lists.get_name().replace("'", "''")
        letter = column_letter(list_col)
        data.data_validation(
            1,
            col,
            max_rows(),
            col,
            {
                "validate": "list",
                "source": f"='{sheet_name}'!${letter}$2:${letter}${len(allowed) + 1}",
                # A warning, not a stop: codes and the other spellings are accepted too.
                "error_type": "warning",
                "ignore_blank": True,
            },
        )
        list_col += 3

    for col, title in enumerate((_("header"), _("English name"), _("required"), _("what to enter"))):
        notes.write_string(0, col, title, bold)
    for row, column in enumerate(importer.columns, start=1):
        notes.write_string(row, 0, column.header)
        notes.write_string(row, 1, column.name)
        notes.write_string(row, 2, _("Yes") if column.required else _("No"))
        text = column.parser.describe()
        if column.note:
            text = f"{text}; {column.note}"
        notes.write_string(row, 3, text)
    last = len(importer.columns) + 2
    notes.write_string(
        last,
        0,
        _(
            "Row 2 of the data sheet is an example: replace it with your records (left as it is, it is skipped). "
            "Records whose key matches a stored one are updated; the others are created."
        ),
    )
    notes.write_string(
        last + 1,
        0,
        _("Key (what identifies a record): %(key)s")
        % {"key": "、".join(importer.column(n).header for n in importer.key)},
    )
    notes.set_column(0, 1, 24)
    notes.set_column(3, 3, 60)
    workbook.close()
