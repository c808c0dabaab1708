"""Pages for research and knowledge needs: the public list, a need, and editing."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from access.verification import verified_address
from core import permissions
from core.cache import kept_listing
from core.dates import local_today
from core.views import RecordCreateView, RecordHistoryView, RecordTrashView, RecordUpdateView

from . import offers, rules
from .feeds import feed_query
from .filtersets import listed_needs
from .forms import NeedForm, OfferForm
from .models import Need

PAGE_SIZE = 50

#: The sender's confirmation: whom the offer went to, never their addresses.
SENT = {
    offers.TO_CONTACT: gettext_lazy(
        "Thank you! Your message is sent to the need's contact person, who answers you by e-mail."
    ),
    offers.TO_COORDINATORS: gettext_lazy(
        "Thank you! Your message is sent to the coordinators of the need's partnership, "
        "who answer you by e-mail."
    ),
    offers.TO_EDITORS: gettext_lazy(
        "Thank you! Your message is sent to the organisation that posted the need, "
        "which answers you by e-mail."
    ),
}


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
    query = feed_query(request.GET)
    context["feed_url"] = reverse("needs:feed") + (f"?{query}" if query else "")
    return render(request, "needs/need_list.html", context)


def _visible_need(request: HttpRequest, key) -> Need:
    need = (
        Need.objects.select_related(
            "organisation", "organisation__parent", "partnership", "service_area", "contact"
        )
        .filter(public_id=key)
        .first()
    )
    if need is None or not permissions.can_view(request.user, need):
        raise Http404(_("No need with that address."))
    return need


def _offer_context(request: HttpRequest, need: Need, form: OfferForm | None) -> dict:
    """What the need page shows about offering help (see needs.offers)."""
    user = request.user
    takes_offers = rules.takes_offers(need)
    verified = bool(verified_address(user))
    may_offer = takes_offers and permissions.can_offer_help(user, need, email_verified=verified)
    to = offers.recipients(need) if may_offer else None
    reachable = bool(to)
    return {
        "takes_offers": takes_offers,
        "offer_needs_verification": takes_offers and user.is_authenticated and not verified,
        "offer_form": (form or OfferForm()) if reachable else None,
        "offer_unreachable": may_offer and not reachable,
        "offer_to": to.kind if reachable else "",
        "sender_email": verified_address(user) if reachable else "",
        "offer_count": need.responses.count() if permissions.can_see_offers(user, need) else None,
    }


def _render_detail(
    request: HttpRequest, need: Need, form: OfferForm | None = None, status: int = 200
) -> HttpResponse:
    contact = need.contact
    if contact is not None and not permissions.can_view(request.user, contact):
        contact = None
    context = {
        "need": need,
        "contact": contact,
        "show_contact_details": contact is not None and contact.contact_visible_to(request.user),
        "activities": list(permissions.visible(request.user, need.led_to.all())),
        "can_edit": permissions.can_change(request.user, need),
        **_offer_context(request, need, form),
    }
    return render(request, "needs/need_detail.html", context, status=status)


def need_detail(request: HttpRequest, key) -> HttpResponse:
    return _render_detail(request, _visible_need(request, key))


@login_required
@require_POST
def need_offer(request: HttpRequest, key) -> HttpResponse:
    """Send an offer of help to the need's contact; back to the need page."""
    need = _visible_need(request, key)
    form = OfferForm(request.POST)
    problem = offers.refusal(request.user, need)
    if problem is None and not form.is_valid():
        return _render_detail(request, need, form)
    try:
        if problem is not None:
            raise problem
        to = offers.offer_help(
            request.user,
            need,
            form.cleaned_data["message"],
            need_url=request.build_absolute_uri(need.get_absolute_url()),
        )
    except offers.OfferError as error:
        messages.error(request, str(error))
        return _render_detail(request, need, form, status=error.status)
    except OSError:
        form.add_error(None, _("The message could not be sent. Try again later."))
        return _render_detail(request, need, form, status=503)
    messages.success(request, SENT[to.kind])
    return redirect(need)
