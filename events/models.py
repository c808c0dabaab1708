"""Meeting places: conferences, dialogue and network meetings, seminars, courses."""

from __future__ import annotations

import uuid

from django.core.validators import URLValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import Years
from core.models import History, LiveManager, LiveQuerySet, RecordModel
from core.validators import no_direction_controls

from .choices import EventKind

DESCRIPTION_MAX_LENGTH = 20_000


class EventQuerySet(LiveQuerySet):
    def upcoming(self) -> EventQuerySet:
        """Events that have not ended yet, soonest first."""
        return self.filter(ends_at__gte=timezone.now()).order_by("starts_at", "title")

    def past(self) -> EventQuerySet:
        """Events that have ended, most recent first."""
        return self.filter(ends_at__lt=timezone.now()).order_by("-starts_at", "title")

    def public(self) -> EventQuerySet:
        return self.filter(is_public=True)

    def for_list(self) -> EventQuerySet:
        return self.select_related("organiser", "partnership").prefetch_related("themes")


class EventManager(LiveManager.from_queryset(EventQuerySet)):
    pass


class Event(RecordModel):
    """A meeting place: where people from municipalities and academia meet.

    Published in iCalendar feeds (``events.ical``): ``public_id`` gives each
    event a UID that never changes, and ``sequence`` grows on every edit so
    that calendar programs take a changed event as an update of the one they
    have rather than as a new one.
    """

    #: Start and end moments fall in these years.
    DATE_YEARS = Years(1990, 2100)

    public_id = models.UUIDField(_("public id"), default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=250, validators=[no_direction_controls])
    kind = models.CharField(_("kind"), max_length=30, choices=EventKind.choices)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    location = models.CharField(
        _("place"),
        max_length=300,
        blank=True,
        help_text=_("Address or venue. Give a place, an online link, or both."),
    )
    online_url = models.URLField(
        _("online link"),
        max_length=500,
        blank=True,
        validators=[URLValidator(schemes=["http", "https"])],
        help_text=_("A web address starting with https:// for taking part online."),
    )
    organiser = models.ForeignKey(
        "organisations.Organisation",
        on_delete=models.PROTECT,
        related_name="organised_events",
        verbose_name=_("organiser"),
    )
    partnership = models.ForeignKey(
        "partnerships.Partnership",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("partnership"),
    )
    themes = models.ManyToManyField(
        "partnerships.Theme", blank=True, related_name="events", verbose_name=_("themes")
    )
    description = models.TextField(_("description"), max_length=DESCRIPTION_MAX_LENGTH, blank=True)
    is_public = models.BooleanField(
        _("visible to everyone"),
        default=True,
        help_text=_(
            "When unticked, only signed-in users see the event, and it is left out of the "
            "calendar feeds."
        ),
    )
    sequence = models.PositiveIntegerField(
        _("revision"),
        default=0,
        editable=False,
        help_text=_("The iCalendar SEQUENCE: grows by one on every edit."),
    )

    # core.permissions: coordinators of the partnership, editors of the organiser.
    scope_lookups = {"partnership": ["partnership"], "organisation": ["organiser"]}
    organisation_editors_may_edit = True

    # ``sequence`` is bookkeeping for calendar programs, not a change anyone made.
    history = History(excluded_fields=["created", "updated", "sequence"])
    objects = EventManager()
    all_objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "title"]
        base_manager_name = "all_objects"
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gte=F("starts_at")),
                name="%(app_label)s_%(class)s_ends_after_start",
                violation_error_message=_("An event cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=~Q(location="") | ~Q(online_url=""),
                name="%(app_label)s_%(class)s_has_place_or_link",
                violation_error_message=_("Give a place, an online link, or both."),
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values),
                name="%(app_label)s_%(class)s_kind_known",
                violation_error_message=_("Unknown kind of event."),
            ),
        ]
        indexes = [
            models.Index(fields=["starts_at"], name="event_starts_at_idx"),
            # Upcoming (not ended) public events; the API pages by creation.
            models.Index(
                fields=["ends_at", "starts_at"],
                condition=Q(deleted_at__isnull=True, is_public=True),
                name="event_public_ends_idx",
            ),
            models.Index(
                fields=["-created", "-id"],
                condition=Q(deleted_at__isnull=True),
                name="event_live_created_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("events:detail", args=[self.public_id])

    def save(self, *args, **kwargs) -> None:
        # Every full save of an existing event is an edit that calendars must
        # see as an update; moving to and from the trash saves only its fields.
        if not self._state.adding and kwargs.get("update_fields") is None:
            self.sequence += 1
        super().save(*args, **kwargs)

    @property
    def ical_uid(self) -> str:
        """The iCalendar UID: stable for the life of the event."""
        return f"{self.public_id}@unikom"

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()
