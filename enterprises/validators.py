"""Domain checks of the enterprises app."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: the unified social credit code's 31 characters (no I, O, S, V, Z) and the weights of its
# first 17 positions; the 18th is the check character.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def normalise_credit_code(value: str | None) -> str | None:
    """Trim and upper-case; an empty code is no code (None), so uniqueness applies only to real codes."""
    if value is None:
        return None
    value = value.strip().upper()
    return value or None


def credit_code_check_character(first_17: str) -> str:
    total = sum(
        CREDIT_CODE_ALPHABET.index(char) * weight for char, weight in zip(first_17, CREDIT_CODE_WEIGHTS, strict=True)
    )
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    if len(value) != 18:
        raise ValidationError(
            _("A unified social credit code has 18 characters; this one has %(count)d."),
            code="length",
            params={"count": len(value)},
        )
    bad = sorted({char for char in value if char not in CREDIT_CODE_ALPHABET})
    if bad:
        raise ValidationError(
            _("A unified social credit code uses digits and capital letters except I, O, S, V and Z; not %(chars)s."),
            code="characters",
            params={"chars": "、".join(bad)},
        )
    expected = credit_code_check_character(value[:17])
    if value[17] != expected:
        raise ValidationError(
            _("The check character (the last one) should be %(expected)s: please check the code for a typing error."),
            code="check",
            params={"expected": expected},
        )
