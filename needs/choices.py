"""Choices for research and knowledge needs, and the status workflow."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


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
