"""The demo: the Huaihua High-Tech Zone as the 2020 reference article describes it.

Each app adds its part in `<app>/demo.py` (a `load(facts, source)` function); `load_demo` runs them in order.
Every record and value carries `source` naming the article; anything invented is marked as sample data.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.db import transaction

FACTS_PATH = Path(__file__).with_name("huaihua-facts.json")
ARTICLE_SOURCE = "《湖南怀化：创新驱动打造高新技术产业“洼地”》（2020年）"
DEMO_PASSWORD = "parkadmin-demo"


def facts() -> dict:
    return json.loads(FACTS_PATH.read_text(encoding="utf-8"))


def upsert(model, lookup: dict, values: dict):
    """Create the record, or update it only where a value differs (so a re-run adds no history)."""
    from parkadmin.locking import save_versioned

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


DEMO_ACCOUNTS = [
    # username, full name, groups ("*" = every role), superuser
    ("demo-admin", "演示管理员", ["*"], True),
    ("demo-staff", "演示工作人员", ["INVESTMENT_STAFF", "ENTERPRISE_STAFF", "STATISTICS_STAFF"], False),
    ("demo-official", "演示领导", ["OFFICIALS"], False),
]


def load_accounts() -> list[str]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from parkadmin import roles

    user_model = get_user_model()
    names = []
    for username, full_name, group_keys, superuser in DEMO_ACCOUNTS:
        user, created = user_model.objects.get_or_create(username=username)
        if created:
            user.set_password(DEMO_PASSWORD)
        user.first_name = full_name
        user.is_staff = user.is_superuser = superuser
        user.save()
        wanted = list(roles.ROLE_RULES) if group_keys == ["*"] else [getattr(roles, key) for key in group_keys]
        user.groups.set(Group.objects.filter(name__in=wanted))
        names.append(username)
    return names


@transaction.atomic
def load(*, with_accounts: bool) -> dict:
    """Load (or bring up to date) every app's demo records; returns counts for the command's summary."""
    from enterprises import demo as enterprises_demo
    from indicators import demo as indicators_demo
    from parks import demo as parks_demo
    from projects import demo as projects_demo

    data = facts()
    summary = {}
    for app_demo in (parks_demo, enterprises_demo, projects_demo, indicators_demo):
        summary.update(app_demo.load(data, ARTICLE_SOURCE))
    if with_accounts:
        summary["accounts"] = load_accounts()
    return summary
