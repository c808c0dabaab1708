"""The search page: /search/?q=…&kind=…&theme=… (facet filters in the URL, shareable)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from core.cache import kept_listing
from search import service
from search.backends.base import RESULT_LIMIT
from search.choices import DocumentKind, Facet
from search.models import SearchDocument
from search.query import parse

PAGE_SIZE = 20
RESULT_KEYS = ("results", "page_obj", "total", "capped", "facets", "corrected", "page_query")


class SearchView(TemplateView):
    template_name = "search/results.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        get = self.request.GET
        raw = get.get("q", "")
        filters = {f: get.getlist(f) for f in service.FILTER_FACETS if get.getlist(f)}
        query = parse(raw)
        message = ""
        if raw.strip() and query.empty:
            message = _("Your search has no words to look for. Try other or more words.")
        elif query.truncated:
            message = _("Your search was long, so only the first words were used.")
        context.update(
            q=raw[:500],
            message=message,
            searched=not query.empty,
            filters=filters,
            result_limit=RESULT_LIMIT,
            # The results are the same for every reader (only public records are
            # indexed): kept until the data changes, like the lists.
            **kept_listing("search", self.request, RESULT_KEYS, lambda: self.results(raw, filters)),
        )
        return context

    def results(self, raw: str, filters: dict[str, list[str]]) -> dict:
        """The page of results, the facets and the counts (what the page keeps)."""
        get = self.request.GET
        outcome = service.run(raw, filters)
        page = Paginator(outcome.ids, PAGE_SIZE).get_page(get.get("page"))
        documents = SearchDocument.objects.in_bulk(list(page.object_list))
        kind_labels = dict(DocumentKind.choices)
        results = [
            {
                "doc": documents[i],
                "kind_label": kind_labels.get(documents[i].kind, documents[i].kind),
                "snippet": service.highlight(documents[i].body, outcome.query),
                "title": service.highlight(documents[i].title, outcome.query, words=60),
            }
            for i in page.object_list
            if i in documents
        ]
        facet_labels = dict(Facet.choices)
        facets = []
        for name, entries in outcome.facets.items():
            for entry in entries:
                if name == Facet.KIND:
                    entry["label"] = kind_labels.get(entry["value"], entry["value"])
                entry["url"] = self._toggle_url(name, entry["value"], entry["selected"])
            facets.append({"name": name, "label": facet_labels[name], "entries": entries})
        return {
            "results": results,
            "page_obj": page,
            "total": len(outcome.ids),
            "capped": outcome.capped,
            "facets": facets,
            "corrected": outcome.corrected,
            "page_query": self._query_without("page"),
        }

    def _query_without(self, *names: str) -> str:
        items = [(k, v) for k, vs in self.request.GET.lists() if k not in names for v in vs]
        return urlencode(items)

    def _toggle_url(self, facet: str, value: str, selected: bool) -> str:
        items = [
            (k, v)
            for k, vs in self.request.GET.lists()
            if k != "page"
            for v in vs
            if not (k == facet and v == value)
        ]
        if not selected:
            items.append((facet, value))
        return "?" + urlencode(items)
