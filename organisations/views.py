"""Public organisation pages: municipalities, counties, districts, institutions."""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from core.cache import kept_listing, visitor_page
from partnerships.models import Membership

from .choices import KNOWLEDGE_KINDS, OrganisationKind
from .listing import listed_organisations
from .models import Organisation


def organisation_list(request: HttpRequest) -> HttpResponse:
    """Organisations that take part in a partnership, grouped by kind."""
    context = kept_listing(
        "organisations",
        request,
        ("organisations",),
        lambda: {"organisations": list(listed_organisations(request.GET))},
    )
    context.update(kinds=OrganisationKind.choices, kind=request.GET.get("kind", ""))
    return render(request, "organisations/organisation_list.html", context)


def organisation_detail(request: HttpRequest, key: str) -> HttpResponse:
    """An organisation's page; kept whole for visitors until the data changes."""
    return visitor_page(
        request,
        "organisation-page",
        (key,),
        "organisations/organisation_detail.html",
        lambda: _organisation_page(key),
    )


def _organisation_page(key: str) -> dict:
    """The organisation, its memberships and its partners, for its page."""
    queryset = Organisation.objects.select_related("parent", "parent__parent").prefetch_related(
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("partnership").order_by("partnership__name"),
        ),
        Prefetch("children", queryset=Organisation.objects.order_by("name")),
    )
    try:
        org = queryset.get_by_key(key)
    except Organisation.DoesNotExist:
        raise Http404(_("No organisation with that address.")) from None

    partnership_ids = [m.partnership_id for m in org.memberships.all()]
    partners = (
        Membership.objects.current()
        .filter(partnership_id__in=partnership_ids)
        .exclude(organisation=org)
        .select_related("organisation", "partnership")
        .order_by("organisation__name")
    )
    partner_municipalities: dict[int, dict] = {}
    partner_institutions: dict[int, dict] = {}
    for m in partners:
        target = (
            partner_municipalities
            if m.organisation.kind == OrganisationKind.MUNICIPALITY
            else partner_institutions
            if m.organisation.kind in KNOWLEDGE_KINDS
            else None
        )
        if target is not None:
            entry = target.setdefault(
                m.organisation_id, {"org": m.organisation, "partnerships": []}
            )
            if m.partnership not in entry["partnerships"]:
                entry["partnerships"].append(m.partnership)

    county_members = []
    if org.kind == OrganisationKind.COUNTY:
        county_members = list(
            Organisation.objects.in_partnerships()
            .filter(parent=org, kind=OrganisationKind.MUNICIPALITY)
            .order_by("name")
        )

    return {
        "org": org,
        "memberships": [m for m in org.memberships.all() if m.valid_to is None],
        "former_memberships": [m for m in org.memberships.all() if m.valid_to is not None],
        "partner_municipalities": list(partner_municipalities.values()),
        "partner_institutions": list(partner_institutions.values()),
        "county_members": county_members,
    }
