"""The people records name: liaison officers, assignees; and how a person is named everywhere."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.db.models import Q, QuerySet


def display_name(user: AbstractBaseUser | None) -> str:
    """How a person is named on every page, picker, history entry and report: their full name, else their user
    name. Lists sort by the same, worked out by the database (`parkadmin.tables.person_name`)."""
    if user is None:
        return ""
    full_name = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return full_name or user.get_username()


def name_people(field: forms.ModelChoiceField, current_id: int | None) -> None:
    """Make a form's person field offer whom a record may name (`people_to_name`), each by their display name."""
    field.queryset = people_to_name(current_id)
    field.label_from_instance = display_name


def people_to_name(current_id: int | None = None) -> QuerySet:
    """Whom a record may name as its liaison officer or assignee: active users, and the person it already names
    (someone who has left stays on their records until another person is named)."""
    query = Q(is_active=True)
    if current_id is not None:
        query |= Q(pk=current_id)
    return get_user_model().objects.filter(query)
