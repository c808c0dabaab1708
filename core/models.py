"""Abstract bases shared by the domain apps. No domain models live here."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class History(HistoricalRecords):
    """simple-history's record of every change, indexed only where it is read.

    History is read by record (``record.history``: the copied primary key keeps
    its index) and by its own id (``history_id``, the data version of
    ``core.cache``). simple-history also indexes every copied foreign key and
    unique field (a slug, a public id) and the date of each change; nothing
    reads history by those, and at national scale their indexes were a tenth of
    the database (docs/benchmarks.md). ``SIMPLE_HISTORY_DATE_INDEX`` is off in
    the settings for the date.
    """

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for name, field in fields.items():
            if name != model._meta.pk.name:
                field.db_index = False
        return fields


class TimeStampedModel(models.Model):
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class LiveQuerySet(models.QuerySet):
    def live(self) -> LiveQuerySet:
        return self.filter(deleted_at__isnull=True)

    def trashed(self) -> LiveQuerySet:
        return self.filter(deleted_at__isnull=False)


class LiveManager(models.Manager.from_queryset(LiveQuerySet)):
    """The default manager: records in the trash are invisible everywhere."""

    def get_queryset(self) -> LiveQuerySet:
        return super().get_queryset().filter(deleted_at__isnull=True)


class RecordModel(TimeStampedModel):
    """Base for records people edit in the site: a trash and a version number.

    ``delete()`` from the site moves a record to the trash (``core.trash``); it
    stays in the database, out of every list, until it is restored.
    ``version`` grows by one on every edit made through a form, so that a
    second person saving an older copy is refused (``core.views``).
    """

    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    deleted_at = models.DateTimeField(_("moved to trash"), null=True, blank=True, editable=False)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("moved to trash by"),
    )

    objects = LiveManager()
    all_objects = LiveQuerySet.as_manager()

    class Meta:
        abstract = True
        base_manager_name = "all_objects"

    @property
    def in_trash(self) -> bool:
        return self.deleted_at is not None

    def move_to_trash(self, user) -> None:
        self.deleted_at = timezone.now()
        self.deleted_by = user if getattr(user, "is_authenticated", False) else None
        self._change_reason = "moved to trash"
        self.save(update_fields=["deleted_at", "deleted_by", "updated"])

    def restore(self, user) -> None:
        self.deleted_at = None
        self.deleted_by = None
        self._change_reason = "restored from trash"
        self.save(update_fields=["deleted_at", "deleted_by", "updated"])
