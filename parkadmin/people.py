"""The people records name: liaison officers, assignees."""

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet


def people_to_name(current_id: int | None = None) -> QuerySet:
    """Whom a record may name as its liaison officer or assignee: active users, and the person it already names
    (someone who has left stays on their records until another person is named)."""
    query = Q(is_active=True)
    if current_id is not None:
        query |= Q(pk=current_id)
    return get_user_model().objects.filter(query)
