"""The search index: one row per public, live record, with its facet values
(as JSON on the row: search.facets).

The full-text part lives beside these tables and is owned by the backend:
an FTS5 virtual table ``search_fts`` on SQLite, a ``tsvector`` column with a
GIN index on PostgreSQL (both created in migration 0001).

No simple-history here: the index is derived data, rebuilt from the records
(which keep their own history) by ``unikom search reindex``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from search.choices import DocumentKind


class SearchDocument(models.Model):
    """One indexed record: what a result shows and the stems it is found by."""

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    object_id = models.PositiveBigIntegerField(_("record id"))
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("URL"), max_length=300)
    terms = models.TextField(_("stemmed text"), blank=True)
    title_terms = models.TextField(_("stemmed title"), blank=True)
    # search.facets: the values as JSON, and the status value again on its own.
    facets = models.TextField(_("facet values"), blank=True)
    status = models.CharField(_("status"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        ordering = ["kind", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"],
                name="%(app_label)s_%(class)s_one_per_record",
                violation_error_message=_("A record is indexed only once."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.title}"

    def get_absolute_url(self) -> str:
        return self.url
