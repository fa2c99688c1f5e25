"""The demo: the Huaihua High-Tech Zone as the 2020 reference article describes it.

Each app adds its part in `<app>/demo.py` (a `load(facts, source)` function, writing through
`parkadmin.upsert`); `load_demo` runs them in order. Every record and value carries `source` naming the article;
anything invented is marked as sample data. The synthetic zone of the benchmark (`generate_sample_data`) is made
likewise, by each app's `sample.py`, in `demo.sample`.
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
