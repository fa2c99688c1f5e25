"""Checks on values that are not about any one model."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

code_validator = RegexValidator(
    r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
    _("Use letters, digits, '-' and '_' only, starting with a letter or digit."),
)
