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
    assert "parks.view_park" in granted
    assert all(p.split(".")[1].startswith("view_") for p in granted)


def test_enterprise_staff_cannot_redefine_parks_or_clusters():
    granted = perms(roles.ENTERPRISE_STAFF)
    assert "parks.view_park" in granted
    assert not {"parks.change_park", "parks.add_industrycluster"} & granted


def test_administrators_manage_users():
    granted = perms(roles.ADMINISTRATORS)
    assert {"auth.add_user", "auth.change_group", "parks.delete_park"} <= granted


def test_sync_is_idempotent_and_restores_drift():
    group = Group.objects.get(name=roles.OFFICIALS)
    group.permissions.clear()
    from django.contrib.auth.models import Permission

    roles.sync_roles(Group, Permission)
    roles.sync_roles(Group, Permission)
    assert "parks.view_park" in perms(roles.OFFICIALS)


def test_rules_with_exclusions():
    rules = ["enterprises.*", "!enterprises.change_enterprise"]
    assert roles.matches(rules, "enterprises.view_enterprise")
    assert not roles.matches(rules, "enterprises.change_enterprise")
    assert not roles.matches(rules, "projects.view_project")


def test_role_names_are_the_user_s_groups_in_name_order(client):
    from django.contrib.auth.models import AnonymousUser

    from tests.factories import UserFactory

    user = UserFactory(groups=[roles.STATISTICS_STAFF, roles.ENTERPRISE_STAFF, roles.INVESTMENT_STAFF])
    other = UserFactory(groups=[roles.OFFICIALS])
    expected = sorted(user.groups.values_list("name", flat=True))
    assert (
        roles.role_names(user)
        == expected
        == sorted([roles.STATISTICS_STAFF, roles.ENTERPRISE_STAFF, roles.INVESTMENT_STAFF])
    )
    assert roles.role_names(other) == [roles.OFFICIALS]
    assert roles.role_names(UserFactory()) == []
    assert roles.role_names(AnonymousUser()) == []
    # The user menu of every page names them.
    client.force_login(user)
    page = client.get("/my-work/").content.decode()
    assert "、".join(expected) in page
