"""Roles: the groups of brief §4 exist after migrate, with the permissions their rules give."""

import pytest
from django.contrib.auth.models import Group

from parkadmin import roles

pytestmark = pytest.mark.django_db


def perms(group_name):
    group = Group.objects.get(name=group_name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_every_role_exists():
    assert set(Group.objects.values_list("name", flat=True)) >= set(roles.ROLE_RULES)


def test_officials_read_everything_and_change_nothing():
    granted = perms(roles.OFFICIALS)
    assert "enterprises.view_park" in granted
    assert all(p.split(".")[1].startswith("view_") for p in granted)


def test_enterprise_staff_cannot_redefine_parks_or_clusters():
    granted = perms(roles.ENTERPRISE_STAFF)
    assert "enterprises.view_park" in granted
    assert not {"enterprises.change_park", "enterprises.add_industrycluster"} & granted


def test_administrators_manage_users():
    granted = perms(roles.ADMINISTRATORS)
    assert {"auth.add_user", "auth.change_group", "enterprises.delete_park"} <= granted


def test_sync_is_idempotent_and_restores_drift():
    group = Group.objects.get(name=roles.OFFICIALS)
    group.permissions.clear()
    from django.contrib.auth.models import Permission

    roles.sync_roles(Group, Permission)
    roles.sync_roles(Group, Permission)
    assert "enterprises.view_park" in perms(roles.OFFICIALS)


def test_rules_with_exclusions():
    rules = ["enterprises.*", "!enterprises.change_park"]
    assert roles.matches(rules, "enterprises.view_park")
    assert not roles.matches(rules, "enterprises.change_park")
    assert not roles.matches(rules, "projects.view_project")
