"""`upsert`: how every app's demo writes its records, so that loading the demo again changes nothing."""

from __future__ import annotations

from parkadmin.locking import save_versioned


def upsert(model, lookup: dict, values: dict):
    """Create the record, or update it only where a value differs (so a re-run adds no history)."""
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        obj.full_clean()
        obj.save()
        return obj
    changed = {k: v for k, v in values.items() if getattr(obj, k) != v}
    if changed:
        for key, value in changed.items():
            setattr(obj, key, value)
        obj.full_clean()
        if hasattr(obj, "version"):
            save_versioned(obj, expected_version=obj.version)
        else:
            obj.save()
    return obj
