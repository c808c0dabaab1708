"""Choices for meeting places."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    CONFERENCE = "conference", _("Conference")
    DIALOGUE_MEETING = "dialogue_meeting", _("Dialogue meeting")
    NETWORK_MEETING = "network_meeting", _("Network meeting")
    SEMINAR = "seminar", _("Seminar")
    COURSE = "course", _("Course")
