"""GB 32100-2015 unified social credit codes."""

import pytest
from django.core.exceptions import ValidationError

from enterprises.validators import credit_code_check_character, normalise_credit_code, validate_credit_code

VALID = ["91350100M000100Y43", "91430100MA4L00000F", "91431200MA4PX1234B"]


@pytest.mark.parametrize("code", VALID)
def test_valid_codes_pass(code):
    validate_credit_code(code)


def test_check_character_of_a_published_code():
    assert credit_code_check_character("91350100M000100Y4") == "3"


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("91350100M000100Y44", "check"),
        ("91350100M000100Y4", "length"),
        ("91350100M000100Y433", "length"),
        ("91350100I000100Y43", "characters"),
        ("91350100O000100Y43", "characters"),
        ("91350100S000100Y43", "characters"),
        ("91350100V000100Y43", "characters"),
        ("91350100Z000100Y43", "characters"),
    ],
)
def test_invalid_codes_say_why(code, reason):
    with pytest.raises(ValidationError) as refused:
        validate_credit_code(code)
    assert refused.value.code == reason


def test_input_is_trimmed_and_upper_cased_and_empty_is_none():
    assert normalise_credit_code(" 91350100m000100y43 ") == "91350100M000100Y43"
    assert normalise_credit_code("  ") is None
    assert normalise_credit_code(None) is None
