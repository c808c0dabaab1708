"""An import batch: one file, who brought it in, what it did, and how to undo it."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class BatchState(models.TextChoices):
    PREVIEW = "preview", _("Preview")
    COMMITTED = "committed", _("Imported")
    UNDONE = "undone", _("Undone")


class SourceFormat(models.TextChoices):
    TABLE = "table", _("CSV or XLSX in unikom's columns")
    NVA = "nva", _("NVA/Cristin projects (JSON)")
    PROSJEKTBANKEN = "prosjektbanken", _("Prosjektbanken (CSV)")


class ImportBatch(models.Model):
    """One run of the importer over one file.

    A web import starts as a *preview*: the file is kept (``data``) with the
    report of what it would do, and the versions of the records it would
    change, so that committing it later can refuse when one of them changed
    in between. Committing writes everything or nothing and records the ids of
    the created and updated records (``changes``), which is what *undo* needs:
    created records go to the trash, updated ones go back to the version they
    had before, taken from their history.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="import_batches",
        verbose_name=_("imported by"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    kind = models.CharField(_("kind of record"), max_length=20)
    source_format = models.CharField(
        _("format"), max_length=20, choices=SourceFormat.choices, default=SourceFormat.TABLE
    )
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    data = models.BinaryField(_("file"), blank=True, default=b"", editable=False)
    options = models.JSONField(_("options"), default=dict, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=BatchState.choices, default=BatchState.PREVIEW
    )
    report = models.JSONField(_("report"), default=dict, blank=True)
    versions = models.JSONField(_("versions at preview"), default=dict, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    committed_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("undone by"),
    )

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created", "-id"]

    def __str__(self) -> str:
        return f"#{self.pk} {self.filename}"

    def get_absolute_url(self) -> str:
        return reverse("imports:batch", args=[self.pk])

    @property
    def reason(self) -> str:
        """The change reason every record the import touches carries in its history."""
        return f"Import #{self.pk} from {self.filename}"

    @property
    def undo_reason(self) -> str:
        return f"Undo of import #{self.pk} from {self.filename}"
