"""The roles of brief §4 as Django groups, and the model permissions each holds.

Groups are created by migration `parkadmin.0001_roles`; `sync_roles` (run again after every migrate) gives each
group the permissions its rules name, so a model added later reaches its groups without another data migration.
A rule is `app_label.codename` with `*` wildcards; a rule starting with `!` takes permissions away again.
"""

from __future__ import annotations

import functools
from fnmatch import fnmatchcase

from django.contrib.auth import get_user_model
from django.db import connection

ADMINISTRATORS = "管理员 administrators"
INVESTMENT_STAFF = "招商 investment staff"
ENTERPRISE_STAFF = "企业服务 enterprise staff"
STATISTICS_STAFF = "统计 statistics staff"
REVIEWERS = "审核 reviewers"
OFFICIALS = "领导 officials"

OUR_APPS = ("parkadmin", "parks", "enterprises", "projects", "indicators", "reports")
# Everything but API tokens (the administrators' as `authtoken.*`, seen in the admin as parkadmin's) and the log of
# list exports (who exported what is for administrators to audit) and of chat-group messages.
ADMINISTRATORS_ONLY = ["!parkadmin.view_apitoken", "!parkadmin.view_listexport", "!parkadmin.view_webhookdelivery"]
VIEW_EVERYTHING = [*[f"{app}.view_*" for app in OUR_APPS], *ADMINISTRATORS_ONLY]


def no_edits(app_label: str, model_name: str) -> list[str]:
    """Rules that take add/change/delete of one model away again (its view permission stays)."""
    return [f"!{app_label}.{action}_{model_name}" for action in ("add", "change", "delete")]


ROLE_RULES: dict[str, list[str]] = {
    ADMINISTRATORS: [*[f"{app}.*" for app in OUR_APPS], "auth.*", "authtoken.*", "axes.*", "django_q.*"],
    INVESTMENT_STAFF: [*VIEW_EVERYTHING, "projects.*"],
    # Parks, clusters (the `parks` app) and indicator definitions are the administrators' to define.
    ENTERPRISE_STAFF: [*VIEW_EVERYTHING, "enterprises.*"],
    STATISTICS_STAFF: [*VIEW_EVERYTHING, "indicators.*", *no_edits("indicators", "indicator"), "!indicators.approve_*"],
    REVIEWERS: [*VIEW_EVERYTHING, "indicators.approve_*"],
    OFFICIALS: [*VIEW_EVERYTHING],
}


def matches(rules: list[str], label: str) -> bool:
    allowed = False
    for rule in rules:
        if rule.startswith("!"):
            if fnmatchcase(label, rule[1:]):
                allowed = False
        elif fnmatchcase(label, rule):
            allowed = True
    return allowed


def sync_roles(group_model, permission_model) -> None:
    """Create the groups if needed and set each one's permissions to exactly what its rules name."""
    permissions = list(permission_model.objects.select_related("content_type"))
    for name, rules in ROLE_RULES.items():
        group, _created = group_model.objects.get_or_create(name=name)
        wanted = [p for p in permissions if matches(rules, f"{p.content_type.app_label}.{p.codename}")]
        group.permissions.set(wanted)


def sync_after_migrate(sender, **kwargs) -> None:
    from django.contrib.auth.models import Group, Permission

    sync_roles(Group, Permission)


@functools.cache
def _role_names_sql() -> str:
    user_model = get_user_model()
    groups = user_model._meta.get_field("groups")
    group_table = connection.ops.quote_name(groups.related_model._meta.db_table)
    through = groups.remote_field.through._meta
    link = connection.ops.quote_name(through.db_table)
    user_column = connection.ops.quote_name(groups.m2m_column_name())
    group_column = connection.ops.quote_name(groups.m2m_reverse_name())
    return (
        f"SELECT g.id, g.name FROM {group_table} g JOIN {link} ug ON ug.{group_column} = g.id "
        f"WHERE ug.{user_column} = %s"
    )


def role_names(user) -> list[str]:
    """The names of the user's roles, in name order: the user menu shows them on every page. Written as SQL because
    building the ORM's query took longer than the database took to answer it (tests compare the two)."""
    if not user.is_authenticated:
        return []
    from django.contrib.auth.models import Group

    # Sorted here, not by the database: the order must not hang on the database's collation.
    return sorted(group.name for group in Group.objects.raw(_role_names_sql(), [user.pk]))
