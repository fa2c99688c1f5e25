"""What an import run reports: each row's outcome (created, updated, unchanged) or why it was refused, and the
counts and summary the pages, the command and the import history show."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

CREATED, UPDATED, UNCHANGED = "create", "update", "unchanged"
ACTION_LABELS = {
    CREATED: gettext_lazy("create"),
    UPDATED: gettext_lazy("update"),
    UNCHANGED: gettext_lazy("unchanged"),
}


# What a message may quote of a cell (or a header): a prefix this long, then "…".
QUOTE_CHARS = 50
# The longest reason kept for a row: a form's message may quote a whole cell.
MESSAGE_CHARS = 300


def shorten(text: str, limit: int = QUOTE_CHARS) -> str:
    """`text` cut to `limit` characters and "…", so that a message or a page quoting a cell stays small."""
    return text if len(text) <= limit else text[:limit] + "…"


@dataclass(frozen=True)
class RowError:
    """Why a row was refused: its number as the spreadsheet shows it, the column (as headed in the file), a reason.
    Both are cut short (a header or a reason can quote a cell of thousands of characters)."""

    row: int
    column: str
    message: str

    def __post_init__(self):
        object.__setattr__(self, "column", shorten(str(self.column)))
        object.__setattr__(self, "message", shorten(str(self.message), MESSAGE_CHARS))

    def __str__(self) -> str:
        if self.column:
            return _("Row %(row)s, column “%(column)s”: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}


# Reasons an import keeps for the rows it refused: more than a page or the command lists. The others are counted: a
# file of a hundred thousand bad cells would otherwise keep a hundred thousand reasons in memory.
KEPT_ERRORS = 1000


class RowErrors(list):
    """The reasons rows were refused: every one counted (`total`, and the refused `rows`), the first KEPT_ERRORS
    kept."""

    def __init__(self, errors=()):
        super().__init__()
        self.total = 0
        self.rows: set[int] = set()
        self.extend(errors)

    def append(self, error: RowError) -> None:
        self.total += 1
        self.rows.add(error.row)
        if len(self) < KEPT_ERRORS:
            super().append(error)

    def extend(self, errors) -> None:
        for error in errors:
            self.append(error)

    @property
    def more(self) -> int:
        """How many reasons were counted but not kept."""
        return self.total - len(self)


@dataclass
class RowOutcome:
    row: int
    action: str
    label: str

    @property
    def action_label(self) -> str:
        return str(ACTION_LABELS[self.action])


@dataclass
class ImportResult:
    kind: str
    file_name: str
    dry_run: bool
    outcomes: list[RowOutcome] = field(default_factory=list)
    errors: RowErrors = field(default_factory=RowErrors)
    file_error: str = ""
    skipped_example: int | None = None

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def count(self, action: str) -> int:
        return sum(1 for outcome in self.outcomes if outcome.action == action)

    @property
    def created(self) -> int:
        return self.count(CREATED)

    @property
    def updated(self) -> int:
        return self.count(UPDATED)

    @property
    def unchanged(self) -> int:
        return self.count(UNCHANGED)

    @property
    def rejected(self) -> int:
        return len(self.errors.rows)

    def summary(self) -> str:
        counts = {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
        }
        if self.file_error:
            return self.file_error
        if not self.ok:
            return (
                ngettext(
                    "%(rejected)s row refused; nothing was written (%(created)s to create, %(updated)s to update).",
                    "%(rejected)s rows refused; nothing was written (%(created)s to create, %(updated)s to update).",
                    self.rejected,
                )
                % counts
            )
        if self.dry_run:
            return _("Preview: %(created)s to create, %(updated)s to update, %(unchanged)s unchanged.") % counts
        return _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % counts


class RowInvalid(Exception):
    """A row refused with reasons per column name (None: the row as a whole)."""

    def __init__(self, reasons: list[tuple[str | None, str]]):
        self.reasons = reasons
        super().__init__(reasons)
