"""Model fields every app uses the same way."""

from django.core.validators import MinValueValidator
from django.db import models


def money_field(verbose_name, **kwargs):
    """An amount in 万元 (or 万美元): Decimal, never negative, may be unknown."""
    return models.DecimalField(
        verbose_name,
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
        **kwargs,
    )
