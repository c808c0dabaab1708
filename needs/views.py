"""Pages for research and knowledge needs: the public list, a need, and editing."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core import permissions
from core.cache import kept_listing
from core.dates import local_today
from core.views import RecordCreateView, RecordHistoryView, RecordTrashView, RecordUpdateView

from .filtersets import listed_needs
from .forms import NeedForm
from .models import Need

PAGE_SIZE = 50


class NeedCreateView(RecordCreateView):
    model = Need
    form_class = NeedForm


class NeedUpdateView(RecordUpdateView):
    model = Need
    form_class = NeedForm


class NeedTrashView(RecordTrashView):
    model = Need


class NeedHistoryView(RecordHistoryView):
    model = Need


def need_list(request: HttpRequest) -> HttpResponse:
    """Open needs by default; the filters choose other statuses and facets."""

    def compute() -> dict:
        filterset, needs = listed_needs(request.GET, request.user)
        page = Paginator(needs, PAGE_SIZE).get_page(request.GET.get("page"))
        return {"filterset": filterset, "page": page, "needs": page.object_list}

    # The rendered list is kept until the data changes, or the day (deadlines).
    context = kept_listing(
        "needs", request, ("filterset", "page", "needs"), compute, (local_today(),)
    )
    context["can_add"] = permissions.can_add(request.user, Need)
    return render(request, "needs/need_list.html", context)


def need_detail(request: HttpRequest, key) -> HttpResponse:
    need = (
        Need.objects.select_related(
            "organisation", "organisation__parent", "partnership", "service_area", "contact"
        )
        .filter(public_id=key)
        .first()
    )
    if need is None or not permissions.can_view(request.user, need):
        raise Http404(_("No need with that address."))
    contact = need.contact
    if contact is not None and not permissions.can_view(request.user, contact):
        contact = None
    return render(
        request,
        "needs/need_detail.html",
        {
            "need": need,
            "contact": contact,
            "show_contact_details": contact is not None
            and contact.contact_visible_to(request.user),
            "activities": list(permissions.visible(request.user, need.led_to.all())),
            "can_edit": permissions.can_change(request.user, need),
        },
    )
