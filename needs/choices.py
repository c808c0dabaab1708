"""Choices for research and knowledge needs, and the status workflow."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.dates import local_today


class NeedStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_DIALOGUE = "in_dialogue", _("In dialogue")
    MATCHED = "matched", _("Matched")
    CLOSED = "closed", _("Closed")


class SuitedFor(models.TextChoices):
    """What kind of work could answer a need."""

    THESIS = "thesis", _("Student thesis")
    PROJECT = "project", _("Research project")
    PHD = "phd", _("PhD")
    INNOVATION = "innovation", _("Innovation project")
    KNOWLEDGE_SUMMARY = "knowledge_summary", _("Knowledge summary")


# The workflow: open → in dialogue → matched → closed, with the ways back that
# happen in practice. A dialogue or a match can fall through; a closed need is
# finished and can only be reopened as open, and then only with a deadline
# that has not passed (NeedForm checks that). Skipping ahead is allowed: a
# need can be matched straight away, or withdrawn (closed) at any time.
TRANSITIONS: dict[str, frozenset[str]] = {
    NeedStatus.OPEN: frozenset({NeedStatus.IN_DIALOGUE, NeedStatus.MATCHED, NeedStatus.CLOSED}),
    NeedStatus.IN_DIALOGUE: frozenset({NeedStatus.OPEN, NeedStatus.MATCHED, NeedStatus.CLOSED}),
    NeedStatus.MATCHED: frozenset({NeedStatus.IN_DIALOGUE, NeedStatus.CLOSED}),
    NeedStatus.CLOSED: frozenset({NeedStatus.OPEN}),
}


def may_move(old: str, new: str) -> bool:
    """Whether a need may go from status ``old`` to ``new`` (staying is always allowed)."""
    return old == new or new in TRANSITIONS.get(old, frozenset())


def next_statuses(old: str) -> list[NeedStatus]:
    """The statuses a need may move to from ``old``, in workflow order."""
    return [s for s in NeedStatus if s in TRANSITIONS.get(old, frozenset())]


def transition_problem(old: str, new: str) -> str | None:
    """Why a need may not go from ``old`` to ``new``, or None when it may.

    The edit form and the importer both ask this, so they say the same thing.
    """
    if may_move(old, new):
        return None
    return gettext(
        "A need cannot go from “%(old)s” to “%(new)s”. From “%(old)s” it may go to: %(allowed)s."
    ) % {
        "old": NeedStatus(old).label,
        "new": NeedStatus(new).label,
        "allowed": ", ".join(str(s.label) for s in next_statuses(old)),
    }


def deadline_passed(
    status: str, deadline: date | None, *, old_status: str = "", old_deadline: date | None = None
) -> bool:
    """Whether a need would be (re)opened, or get a new deadline while open, with a
    deadline that has passed. A need that stays open with its old deadline is left be."""
    becomes_open = status == NeedStatus.OPEN and (
        old_status != NeedStatus.OPEN or deadline != old_deadline
    )
    return bool(becomes_open and deadline and deadline < local_today())


DEADLINE_PASSED = _(
    "The deadline has passed. An open need needs a deadline from today on, or none."
)
