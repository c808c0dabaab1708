"""The rules of a need, whichever way it is written: by its form, by the API
(through the form) and by the importer (imports.kinds).

The workflow itself (which status may follow which, when a deadline has passed)
is in ``needs.choices``; this is how a change is judged against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from .choices import DEADLINE_PASSED, NeedStatus, deadline_passed, transition_problem

#: A need is suited for at least one kind of work (the form's message when none is
#: chosen, and the importer's when the cell is empty).
SUITED_FOR_NOTHING = _("Choose at least one kind of work.")


def problems(
    values: Mapping[str, Any], before: Mapping[str, Any] | None = None
) -> list[tuple[str, str]]:
    """(field, message) for the rules a need with ``values`` breaks; ``before``
    holds the stored need's status and deadline (None for a new need).

    ``suited_for``, when given, names at least one kind of work. A status the need
    may not move to is the workflow's one problem; otherwise a need that would be
    (re)opened, or get a new deadline while open, with a deadline that has passed.
    A value that could not be read is None here and judged by nobody.
    """
    found = []
    if "suited_for" in values and not values["suited_for"]:
        found.append(("suited_for", str(SUITED_FOR_NOTHING)))
    old_status = (before or {}).get("status") or ""
    old_deadline = (before or {}).get("deadline")
    status, deadline = values.get("status"), values.get("deadline")
    if old_status and status and (problem := transition_problem(old_status, status)):
        found.append(("status", problem))
    elif deadline_passed(status, deadline, old_status=old_status, old_deadline=old_deadline):
        found.append(("deadline", str(DEADLINE_PASSED)))
    return found


def takes_offers(need) -> bool:
    """Whether a need still takes offers of help through its page: open, not in
    the trash, and its deadline (if any) not passed."""
    return need.status == NeedStatus.OPEN and not need.in_trash and not need.deadline_passed
