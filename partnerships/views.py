"""Public pages of the partnership registry: list, profile and compare."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core import permissions
from core.cache import kept_listing, visitor_page
from core.views import RecordHistoryView, RecordUpdateView

from .filtersets import listed_partnerships
from .forms import PartnershipForm
from .models import Partnership
from .profile import Profile, profile_queryset

MAX_COMPARE = 4


class PartnershipEditView(RecordUpdateView):
    """Coordinators edit their own partnership's profile (core.permissions)."""

    model = Partnership
    form_class = PartnershipForm
    lookup_field = "slug"
    lookup_kwarg = "slug"


class PartnershipHistoryView(RecordHistoryView):
    model = Partnership
    lookup_field = "slug"
    lookup_kwarg = "slug"


def partnership_list(request: HttpRequest) -> HttpResponse:
    """Every partnership, filtered; the rendered list is kept until the data changes."""

    def compute() -> dict:
        filterset, partnerships = listed_partnerships(request.GET)
        return {
            "filterset": filterset,
            "partnerships": list(partnerships),
            "total": Partnership.objects.count(),
        }

    context = kept_listing("partnerships", request, ("filterset", "partnerships", "total"), compute)
    return render(request, "partnerships/partnership_list.html", context)


def partnership_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """A partnership's profile; kept whole for visitors until the data changes."""

    def page() -> dict:
        partnership = profile_queryset().filter(slug=slug).first()
        if partnership is None:
            raise Http404(_("No partnership with that address."))
        return {
            "partnership": partnership,
            "profile": Profile(partnership, user=request.user),
            "can_edit": permissions.can_change(request.user, partnership),
        }

    return visitor_page(
        request, "partnership-page", (slug,), "partnerships/partnership_detail.html", page
    )


def compare(request: HttpRequest) -> HttpResponse:
    slugs = list(dict.fromkeys(s for s in request.GET.getlist("p") if s))[:MAX_COMPARE]
    found = {p.slug: p for p in profile_queryset().filter(slug__in=slugs)}
    missing = [s for s in slugs if s not in found]
    profiles = [Profile(found[s], user=request.user) for s in slugs if s in found]
    return render(
        request,
        "partnerships/compare.html",
        {
            "profiles": profiles,
            "missing": missing,
            "choices": Partnership.objects.order_by("name").values_list("slug", "name"),
            "selected": slugs,
            "max_compare": MAX_COMPARE,
            "too_few": len(profiles) < 2,
        },
    )
