"""ORCID iDs: shape and check digit (ISO 7064 MOD 11-2), and the forms of input accepted."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from organisations.forms import normalise_orcid, orcid_check_digit, validate_orcid

VALID = ["0000-0002-1825-0097", "0000-0001-5109-3700", "0000-0002-1694-233X"]


@pytest.mark.parametrize("orcid", VALID)
def test_real_orcid_ids_pass(orcid):
    validate_orcid(orcid)
    assert orcid_check_digit(orcid.replace("-", "")[:15]) == orcid[-1]


@pytest.mark.parametrize(
    ("orcid", "code"),
    [
        ("0000-0002-1825-0098", "orcid_checksum"),
        ("0000-0002-1694-2330", "orcid_checksum"),
        ("0000-0002-1825-009", "orcid_shape"),
        ("0000-0002-1825-00977", "orcid_shape"),
        ("000O-0002-1825-0097", "orcid_shape"),
        ("0000-0002-1825-009x", "orcid_shape"),
        ("<script>alert(1)</script>", "orcid_shape"),
    ],
)
def test_wrong_ids_are_refused_with_a_reason(orcid, code):
    with pytest.raises(ValidationError) as caught:
        validate_orcid(orcid)
    assert caught.value.code == code


@pytest.mark.parametrize(
    "typed",
    [
        "0000-0002-1694-233X",
        " 0000-0002-1694-233x ",
        "https://orcid.org/0000-0002-1694-233X",
        "http://orcid.org/0000-0002-1694-233X",
        "orcid.org/0000-0002-1694-233X",
        "000000021694233X",
        "0000 0002 1694 233X",
    ],
)
def test_common_ways_of_typing_an_orcid_are_understood(typed):
    assert normalise_orcid(typed) == "0000-0002-1694-233X"
