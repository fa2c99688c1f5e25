"""Uploads waiting for confirmation on the import pages: kept in the database (`PendingImport`), bounded per user,
expired after a day, and imported at most once.

- `keep()` stores a previewed upload under a new random token. A user has at most `IMPORT_PENDING_MAX_COUNT`
  uploads waiting, of at most `IMPORT_PENDING_MAX_BYTES` together (never less than one file of the largest size
  allowed); a new preview beyond that replaces the user's oldest waiting ones. A user cannot see or withdraw their
  waiting uploads, so refusing a new preview would lock them out for a day; and the preview they checked last is
  the one they mean to confirm.
- `confirm()` claims the upload with a conditional UPDATE (… WHERE state = 'pending'), the first statement of the
  transaction the import runs in, so the claim and the import commit or roll back together: of two requests
  confirming the same token at once, the second waits for the first's row lock and then finds the upload imported
  (or gone). A confirmation the records refuse (they changed since the preview) writes nothing and removes the
  upload: what the preview showed no longer holds, so the file must be checked again before anything is written.
  A request that dies half-way writes nothing and leaves the upload waiting.
- Only the uploader can confirm: anyone else's token, an expired one or a made-up one is unknown.
- `remove_stale()` removes uploads older than `IMPORT_PENDING_HOURS` (with the imported ones kept to answer a
  repeated confirmation); every preview calls it, and so does `manage.py clear_pending_imports`.
"""

from __future__ import annotations

import datetime
import io
import re
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from parkadmin.imports.pipeline import record_run
from parkadmin.imports.results import ImportResult
from parkadmin.models import PendingImport

TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")

# What a confirmation came to.
IMPORTED, REFUSED, ALREADY_IMPORTED, UNKNOWN = "imported", "refused", "already-imported", "unknown"


@dataclass
class Confirmation:
    outcome: str
    result: ImportResult | None = None
    pending: PendingImport | None = None


def byte_quota() -> int:
    return max(settings.IMPORT_PENDING_MAX_BYTES, settings.IMPORT_MAX_BYTES)


def cutoff() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(hours=settings.IMPORT_PENDING_HOURS)


def remove_stale() -> int:
    """Remove the uploads (waiting or imported) older than IMPORT_PENDING_HOURS; returns how many."""
    removed, _by_model = PendingImport.objects.filter(created_at__lt=cutoff()).delete()
    return removed


def keep(*, user, kind: str, name: str, data: bytes) -> tuple[PendingImport, list[str]]:
    """Store a previewed upload for `user` to confirm; returns it and the names of the older uploads it replaced."""
    remove_stale()
    with transaction.atomic():
        # One user's previews are stored one at a time, so the quota holds however many arrive together.
        list(get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk"))
        waiting = PendingImport.objects.filter(user=user, state=PendingImport.State.PENDING)
        room_count = settings.IMPORT_PENDING_MAX_COUNT - 1
        room_bytes = byte_quota() - len(data)
        kept, replaced = 0, []
        for pk, size, file_name in waiting.order_by("-created_at", "-pk").values_list("pk", "size", "file_name"):
            if kept < room_count and size <= room_bytes:
                kept += 1
                room_bytes -= size
            else:
                # This one and every older one make room.
                room_count = 0
                replaced.append((pk, file_name))
        if replaced:
            PendingImport.objects.filter(pk__in=[pk for pk, _name in replaced]).delete()
        pending = PendingImport.objects.create(
            token=secrets.token_urlsafe(32),
            user=user,
            kind=kind,
            file_name=name[:255],
            content=data,
            size=len(data),
        )
    return pending, [file_name for _pk, file_name in reversed(replaced)]


def confirm(*, user, importer_class, token: str) -> Confirmation:
    """Import the upload `token` of `user` for real, once (see the module's docstring)."""
    if not TOKEN.match(token):
        return Confirmation(UNKNOWN)
    mine = PendingImport.objects.filter(token=token, user=user, kind=importer_class.kind, created_at__gte=cutoff())
    with transaction.atomic():
        # The claim comes first: it takes the row's lock (PostgreSQL) or the database's write lock (SQLite) before
        # anything is read, and a concurrent claim waits for this transaction to end.
        claimed = mine.filter(state=PendingImport.State.PENDING).update(
            state=PendingImport.State.IMPORTED, imported_at=timezone.now()
        )
        if claimed:
            file_name, content = mine.values_list("file_name", "content").get()
            result = importer_class(user=user).run(io.BytesIO(bytes(content)), name=file_name, dry_run=False)
            record = record_run(result, user=user, via="web")
            if result.written:
                mine.update(content=b"", size=0, summary=result.summary()[:500], record=record)
            else:
                mine.delete()
    if not claimed:
        done = mine.filter(state=PendingImport.State.IMPORTED).select_related("record").defer("content").first()
        return Confirmation(ALREADY_IMPORTED, pending=done) if done else Confirmation(UNKNOWN)
    return Confirmation(IMPORTED if result.written else REFUSED, result=result)
