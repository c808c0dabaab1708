"""Atom feeds of open research needs, to subscribe to new needs in a feed reader.

``/research-needs/feed/`` takes the list's filters (``service_area``,
``partnership``, ``suited_for``, ``organisation``, ``county``, ``q``,
``deadline``) and holds the newest open needs first; ``/partnerships/<slug>/
needs.atom`` is one partnership's. A feed is the same for everyone: what an
anonymous visitor sees (needs visible to everyone), and never a contact person.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.feedgenerator import Atom1Feed
from django.utils.html import escape, linebreaks
from django.utils.translation import gettext as _

from core.cache import remember
from core.dates import local_today
from partnerships.models import Partnership

from .choices import NeedStatus
from .filtersets import listed_needs
from .models import Need

#: The newest needs a feed holds; a reader keeps the older ones it has seen.
FEED_SIZE = 50

#: The list's filters a feed takes (status is always open; no page).
FEED_FILTERS = (
    "q",
    "service_area",
    "suited_for",
    "organisation",
    "partnership",
    "county",
    "deadline",
)


def feed_query(params: QueryDict) -> str:
    """The query string of the feed matching the list's filters in ``params``."""
    query = QueryDict(mutable=True)
    for name in FEED_FILTERS:
        values = [v for v in params.getlist(name) if v]
        if values:
            query.setlist(name, values)
    return query.urlencode()


class NeedFeed(Feed):
    """The feed; its file is kept until the data changes (``core.cache``), as the
    calendar feeds are, so a feed reader polling it costs a lookup."""

    feed_type = Atom1Feed

    def __call__(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        def write() -> tuple[bytes, str]:
            response = super(NeedFeed, self).__call__(request, *args, **kwargs)
            return response.content, response["Content-Type"]

        parts = (
            kwargs.get("slug"),
            feed_query(request.GET),
            request.build_absolute_uri("/"),
            local_today(),  # the deadline filter
        )
        body, content_type = remember("needs-feed", parts, None, write)
        response = HttpResponse(body, content_type=content_type)
        # Public needs only: feed readers and proxies may keep it a quarter of an hour.
        patch_cache_control(response, public=True, max_age=900)
        return response

    def get_object(self, request: HttpRequest, slug: str | None = None) -> dict:
        params = QueryDict(feed_query(request.GET), mutable=True)
        partnership = None
        if slug is not None:
            partnership = Partnership.objects.filter(slug=slug).first()
            if partnership is None:
                raise Http404(_("No partnership with that address."))
            params["partnership"] = partnership.slug
        params["status"] = NeedStatus.OPEN
        _filterset, needs = listed_needs(params, AnonymousUser())
        needs = needs.order_by("-created", "-id")[:FEED_SIZE]
        params.pop("status")
        return {"needs": list(needs), "query": params.urlencode(), "partnership": partnership}

    def title(self, obj: dict) -> str:
        if obj["partnership"] is not None:
            return _("unikom – open research needs of %(name)s") % {"name": obj["partnership"].name}
        if obj["query"]:
            return _("unikom – open research needs (filtered)")
        return _("unikom – open research needs")

    def subtitle(self, obj: dict) -> str:
        return _(
            "Research and knowledge needs and thesis topics that municipalities and "
            "partnerships have posted, newest first."
        )

    def link(self, obj: dict) -> str:
        url = reverse("needs:list")
        return f"{url}?{obj['query']}" if obj["query"] else url

    def feed_url(self, obj: dict) -> str:
        if obj["partnership"] is not None:
            return reverse("needs:partnership_feed", args=[obj["partnership"].slug])
        url = reverse("needs:feed")
        return f"{url}?{obj['query']}" if obj["query"] else url

    def items(self, obj: dict) -> list[Need]:
        return obj["needs"]

    def item_title(self, item: Need) -> str:
        return item.title

    def item_description(self, item: Need) -> str:
        """The need's public facts and its description, as escaped HTML (Atom's
        summary is HTML: typed markup is shown as text, as on the page)."""
        facts = [(_("Posted by"), item.organisation.name)]
        if item.partnership is not None:
            facts.append((_("Partnership"), item.partnership.name))
        if item.service_area is not None:
            facts.append((_("Service area"), item.service_area.name))
        if item.suited_for_labels:
            facts.append((_("Suited for"), ", ".join(item.suited_for_labels)))
        facts.append((_("Deadline"), item.deadline.isoformat() if item.deadline else _("None")))
        listed = "".join(f"<li>{escape(label)}: {escape(value)}</li>" for label, value in facts)
        return f"<ul>{listed}</ul>" + linebreaks(item.description, autoescape=True)

    def item_guid(self, item: Need) -> str:
        return f"urn:uuid:{item.public_id}"

    def item_guid_is_permalink(self, item: Need) -> bool:
        return False

    def item_pubdate(self, item: Need):
        return item.created

    def item_updateddate(self, item: Need):
        return item.updated

    def item_author_name(self, item: Need) -> str:
        return item.organisation.name

    def item_categories(self, item: Need) -> list[str]:
        names = [item.service_area.name] if item.service_area is not None else []
        return names + item.suited_for_labels
