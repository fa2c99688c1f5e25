"""Domain checks of the projects app's fields, shared by the models (so forms, imports and the API all meet them)."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def not_in_future(value: datetime.date | None) -> None:
    """A date something happened on (money arrived, a note was made, a stage began): today at the latest."""
    if value and value > timezone.localdate():
        raise ValidationError(_("The date cannot be in the future."), code="future")
