"""JSON-LD with schema.org types, for search engines and linked-data tools.

The mapping (docs/open-data.md explains it):

- organisation -> ``Organization`` (``GovernmentOrganization`` for
  municipalities, counties and districts, ``CollegeOrUniversity``,
  ``ResearchOrganization``, ``MedicalOrganization``); kommunenummer,
  fylkesnummer, bydelsnummer, organisasjonsnummer and DBH code as
  ``identifier`` ``PropertyValue``; ROR as ``sameAs`` https://ror.org/...
- partnership -> ``Project`` with its current members as ``member``
  ``OrganizationRole`` (the role code as ``roleName``);
- activity -> ``Project``: owners and partners as ``member``, funders as
  ``funder``, the strategic owner as ``sponsor``, its partnerships as
  ``parentOrganization``, start and end as ``foundingDate`` and
  ``dissolutionDate`` (the date properties schema.org gives a Project);
- event -> ``Event`` with ``startDate``, ``endDate``, ``location`` (a
  ``Place`` and/or a ``VirtualLocation``) and ``organizer``;
- person -> ``Person`` (public people only for anonymous users; e-mail and
  phone only where visible);
- need -> ``Demand``: schema.org's "announcement ... to seek a certain type
  of goods or services"; the posting organisation ``seeks`` it (written as
  ``@reverse``), the deadline is ``validThrough`` and the kinds of work are
  the ``serviceType`` of the ``itemOffered`` ``Service``;
- theme -> ``DefinedTerm``.

Every node's ``@id`` is its page address. The first node of ``@graph`` is a
``Dataset`` carrying the licence and the attribution.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from itertools import chain
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from activities.choices import OrganisationRole
from needs.choices import SuitedFor
from organisations.choices import OrganisationKind
from partnerships.models import Membership

from .columns import ExportContext, related
from .exports import Selection
from .formats import dump_pieces
from .licence import LICENCE, attribution_text

CONTEXT = "https://schema.org"

ORGANISATION_TYPES = {
    OrganisationKind.MUNICIPALITY: "GovernmentOrganization",
    OrganisationKind.COUNTY: "GovernmentOrganization",
    OrganisationKind.DISTRICT: "GovernmentOrganization",
    OrganisationKind.UNIVERSITY: "CollegeOrUniversity",
    OrganisationKind.UNIVERSITY_COLLEGE: "CollegeOrUniversity",
    OrganisationKind.RESEARCH_INSTITUTE: "ResearchOrganization",
    OrganisationKind.HEALTH_TRUST: "MedicalOrganization",
}

#: (model field, propertyID) of an organisation's identifiers.
IDENTIFIERS = (
    ("municipality_number", "kommunenummer"),
    ("county_number", "fylkesnummer"),
    ("district_number", "bydelsnummer"),
    ("org_number", "organisasjonsnummer"),
    ("dbh_code", "dbh"),
)


def _clean(node: dict[str, Any]) -> dict[str, Any]:
    """Leave out empty properties, as schema.org consumers expect."""
    return {k: v for k, v in node.items() if v not in (None, "", [], {})}


def _property(property_id: str, value: Any) -> dict[str, Any]:
    return {"@type": "PropertyValue", "propertyID": property_id, "value": str(value)}


def _date(value) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def organisation_ref(org, ctx: ExportContext) -> dict[str, Any] | None:
    if org is None:
        return None
    return {
        "@id": ctx.url(org),
        "@type": ORGANISATION_TYPES.get(org.kind, "Organization"),
        "name": org.name,
    }


def project_ref(partnership, ctx: ExportContext) -> dict[str, Any] | None:
    if partnership is None or partnership.deleted_at is not None:
        return None
    return {"@id": ctx.url(partnership), "@type": "Project", "name": partnership.name}


def _role(org, role: str, ctx: ExportContext) -> dict[str, Any]:
    return {"@type": "OrganizationRole", "roleName": role, "member": organisation_ref(org, ctx)}


def organisation(org, ctx: ExportContext) -> dict[str, Any]:
    names = [org.official_name, org.name_en, org.short_name]
    return _clean(
        {
            **organisation_ref(org, ctx),
            "alternateName": [n for n in dict.fromkeys(names) if n and n != org.name],
            "identifier": [
                _property(pid, getattr(org, field))
                for field, pid in IDENTIFIERS
                if getattr(org, field)
            ],
            "sameAs": [url for url in (org.ror_url, org.website) if url],
            "parentOrganization": organisation_ref(org.parent, ctx),
        }
    )


def partnership(record, ctx: ExportContext) -> dict[str, Any]:
    return _clean(
        {
            **project_ref(record, ctx),
            "identifier": record.slug,
            "alternateName": list(record.aliases or []),
            "description": record.summary,
            # A period ("tidlig 2000-tall") has no single founding date: left out.
            "foundingDate": (
                str(record.roots_year) if record.roots_year and not record.roots_year_to else None
            ),
            "keywords": [t.name for t in related(record, "themes")],
            "member": [_role(m.organisation, m.role, ctx) for m in record.current_members],
        }
    )


def activity(record, ctx: ExportContext) -> dict[str, Any]:
    roles = related(record, "organisation_roles")
    members = [
        _role(r.organisation, r.role, ctx) for r in roles if r.role != OrganisationRole.FUNDER
    ]
    if record.professional_owner:
        members.insert(0, _role(record.professional_owner, "professional_owner", ctx))
    identifiers = [_property("unikom", record.public_id)]
    if record.cristin_project_id:
        identifiers.append(_property("cristin", record.cristin_project_id))
    if record.nfr_project_number:
        identifiers.append(_property("forskningsradet", record.nfr_project_number))
    grant = None
    if record.funding_amount is not None or record.funding_source:
        grant = _clean(
            {
                "@type": "MonetaryGrant",
                "name": record.funding_source,
                "amount": {
                    "@type": "MonetaryAmount",
                    "currency": "NOK",
                    "value": int(record.funding_amount),
                }
                if record.funding_amount is not None
                else None,
            }
        )
    return _clean(
        {
            "@id": ctx.url(record),
            "@type": "Project",
            "additionalType": record.activity_type,
            "identifier": identifiers,
            "name": record.title,
            "description": record.summary,
            "foundingDate": _date(record.start_date),
            "dissolutionDate": _date(record.end_date),
            "keywords": [t.name for t in related(record, "themes")],
            "parentOrganization": [project_ref(p, ctx) for p in related(record, "partnerships")],
            "member": members,
            "funder": [
                organisation_ref(r.organisation, ctx)
                for r in roles
                if r.role == OrganisationRole.FUNDER
            ],
            "sponsor": organisation_ref(record.strategic_owner, ctx),
            "funding": grant,
            "sameAs": [u for u in (record.cristin_url, record.nfr_url) if u],
        }
    )


def event(record, ctx: ExportContext) -> dict[str, Any]:
    places = []
    if record.location:
        places.append({"@type": "Place", "name": record.location, "address": record.location})
    if record.online_url:
        places.append({"@type": "VirtualLocation", "url": record.online_url})
    mode = (
        "MixedEventAttendanceMode"
        if len(places) == 2
        else "OnlineEventAttendanceMode"
        if record.online_url
        else "OfflineEventAttendanceMode"
    )
    organisers = [organisation_ref(record.organiser, ctx), project_ref(record.partnership, ctx)]
    return _clean(
        {
            "@id": ctx.url(record),
            "@type": "Event",
            "identifier": str(record.public_id),
            "name": record.title,
            "description": record.description,
            "startDate": _date(record.starts_at),
            "endDate": _date(record.ends_at),
            "eventAttendanceMode": f"https://schema.org/{mode}",
            "location": places,
            "organizer": [o for o in organisers if o],
            "keywords": [t.name for t in related(record, "themes")],
        }
    )


def person(record, ctx: ExportContext) -> dict[str, Any]:
    show_contact = record.contact_visible_to(ctx.user)
    return _clean(
        {
            "@id": ctx.url(record),
            "@type": "Person",
            "identifier": str(record.public_id),
            "name": record.name,
            "sameAs": f"https://orcid.org/{record.orcid}" if record.orcid else None,
            "email": record.email if show_contact else None,
            "telephone": record.phone if show_contact else None,
            "affiliation": [
                organisation_ref(a.organisation, ctx) for a in record.current_affiliations
            ],
        }
    )


def need(record, ctx: ExportContext) -> dict[str, Any]:
    labels = dict(SuitedFor.choices)
    service = _clean(
        {
            "@type": "Service",
            "serviceType": [str(labels.get(v, v)) for v in record.suited_for or []],
            "category": record.service_area.name if record.service_area else None,
        }
    )
    return _clean(
        {
            "@id": ctx.url(record),
            "@type": "Demand",
            "identifier": str(record.public_id),
            "name": record.title,
            "description": record.description,
            "validThrough": _date(record.deadline),
            "itemOffered": service if len(service) > 1 else None,
            "@reverse": {"seeks": organisation_ref(record.organisation, ctx)},
        }
    )


def theme(record, ctx: ExportContext) -> dict[str, Any]:
    return _clean({"@type": "DefinedTerm", "termCode": record.slug, "name": record.name})


#: kind -> node builder; the kinds JSON-LD is offered for.
NODES: dict[str, Callable[[Any, ExportContext], dict[str, Any]]] = {
    "partnerships": partnership,
    "organisations": organisation,
    "people": person,
    "activities": activity,
    "needs": need,
    "events": event,
    "themes": theme,
}


def prepare(kind: str, queryset):
    """Fetch what the nodes read beyond the columns (a partnership's members)."""
    if kind == "partnerships":
        return queryset.prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.current()
                .select_related("organisation")
                .order_by("role", "organisation__name"),
                to_attr="current_members",
            )
        )
    return queryset


def dataset(selection: Selection, generated: datetime, url: str = "") -> dict[str, Any]:
    """The first node of ``@graph``: the export as a schema.org ``Dataset``."""
    return _clean(
        {
            "@type": "Dataset",
            "name": f"unikom – {selection.kind}",
            "url": url,
            "license": LICENCE["path"],
            "creditText": attribution_text(),
            "dateCreated": timezone.localtime(generated).isoformat(timespec="seconds"),
            "isAccessibleForFree": True,
        }
    )


def document(
    selection: Selection, ctx: ExportContext, generated: datetime, url: str = ""
) -> dict[str, Any]:
    """The whole document in memory (small selections and tests); exports
    stream the same text with ``pieces``."""
    build = NODES[selection.kind]
    return {
        "@context": CONTEXT,
        "@graph": [
            dataset(selection, generated, url),
            *(build(r, ctx) for r in selection.records()),
        ],
    }


def pieces(
    selection: Selection, ctx: ExportContext, generated: datetime, url: str = ""
) -> Iterator[str]:
    """The text of ``dumps(document(...))``, a node at a time."""
    build = NODES[selection.kind]
    records = (build(r, ctx) for r in selection.records())
    nodes = chain([dataset(selection, generated, url)], records)
    return dump_pieces({"@context": CONTEXT}, "@graph", nodes)
