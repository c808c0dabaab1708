"""The search index: one row per public, live record, with its facet values.

The full-text part lives beside these tables and is owned by the backend:
an FTS5 virtual table ``search_fts`` on SQLite, a ``tsvector`` column with a
GIN index on PostgreSQL (both created in migration 0001).

No simple-history here: the index is derived data, rebuilt from the records
(which keep their own history) by ``unikom search reindex``.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from search.choices import DocumentKind, Facet


class SearchDocument(models.Model):
    """One indexed record: what a result shows and the stems it is found by."""

    kind = models.CharField(_("kind"), max_length=20, choices=DocumentKind.choices)
    object_id = models.PositiveBigIntegerField(_("record id"))
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("URL"), max_length=300)
    terms = models.TextField(_("stemmed text"), blank=True)
    title_terms = models.TextField(_("stemmed title"), blank=True)

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


class SearchFacet(models.Model):
    """One facet value of a document (a document has several themes, say)."""

    # No index of its own: the unique constraint on (document, facet, value) starts
    # with the document and serves every lookup by it.
    document = models.ForeignKey(
        SearchDocument,
        on_delete=models.CASCADE,
        related_name="facets",
        verbose_name=_("document"),
        db_index=False,
    )
    facet = models.CharField(_("facet"), max_length=20, choices=Facet.choices)
    value = models.CharField(_("value"), max_length=120)
    label = models.CharField(_("label"), max_length=250)

    class Meta:
        verbose_name = _("search facet")
        verbose_name_plural = _("search facets")
        ordering = ["facet", "label"]
        indexes = [models.Index(fields=["facet", "value"], name="search_facet_value_idx")]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "facet", "value"],
                name="%(app_label)s_%(class)s_unique_value",
                violation_error_message=_("A document has each facet value once."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.facet}={self.label}"

    def get_absolute_url(self) -> str:
        return self.document.url
