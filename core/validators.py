"""Validators that several apps' fields share."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: Bidirectional embeddings, overrides and isolates (U+202A–U+202E,
#: U+2066–U+2069): invisible, they make text read in another order than it is
#: stored ("Trojan Source"), so a title could show a different name than the
#: one searched, sorted and exported.
DIRECTION_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def no_direction_controls(value: str) -> None:
    """Refuse text holding characters that reverse the direction it is shown in."""
    if value and DIRECTION_CONTROLS.search(value):
        raise ValidationError(
            _(
                "Remove the invisible characters that change the direction of the text "
                "(U+202A–U+202E, U+2066–U+2069)."
            ),
            code="direction_control",
        )
