"""The rules of a need, whichever way it is written: by its form, by the API
(through the form) and by the importer (imports.kinds).

The workflow itself (which status may follow which, when a deadline has passed)
is in ``needs.choices``; this is how a change is judged against it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .choices import DEADLINE_PASSED, deadline_passed, transition_problem


def problems(
    values: Mapping[str, Any], before: Mapping[str, Any] | None = None
) -> list[tuple[str, str]]:
    """(field, message) for the workflow rules a need with ``values`` breaks;
    ``before`` holds the stored need's status and deadline (None for a new need).

    A status the need may not move to is the one problem; otherwise a need that
    would be (re)opened, or get a new deadline while open, with a deadline that has
    passed. A value that could not be read is None here and judged by nobody.
    """
    old_status = (before or {}).get("status") or ""
    old_deadline = (before or {}).get("deadline")
    status, deadline = values.get("status"), values.get("deadline")
    if old_status and status and (problem := transition_problem(old_status, status)):
        return [("status", problem)]
    if deadline_passed(status, deadline, old_status=old_status, old_deadline=old_deadline):
        return [("deadline", str(DEADLINE_PASSED))]
    return []
