"""Records built for the rule tests: a bare partnership and what to add to it."""

from __future__ import annotations

from organisations.choices import OrganisationKind, RecordSource
from organisations.models import Organisation
from partnerships.choices import PartnershipKind, Role
from partnerships.models import Membership, Partnership


def bare_partnership(slug: str = "bare", **fields) -> Partnership:
    """A partnership with nothing recorded: no members, anchoring, years or themes."""
    fields.setdefault("kind", PartnershipKind.BILATERAL)
    return Partnership.objects.create(
        slug=slug, name=slug.title(), source_url="https://example.org/", **fields
    )


def institution(slug: str = "test-university") -> Organisation:
    return Organisation.objects.create(
        slug=slug,
        name=slug.replace("-", " ").title(),
        kind=OrganisationKind.UNIVERSITY,
        record_source=RecordSource.MANUAL,
    )


def free_municipalities(n: int) -> list[Organisation]:
    """``n`` municipalities that take part in no partnership yet."""
    return list(
        Organisation.objects.municipalities()
        .exclude(pk__in=Organisation.objects.in_partnerships())
        .order_by("municipality_number")[:n]
    )


def member(partnership, organisation, role=Role.MEMBER_MUNICIPALITY, **fields) -> Membership:
    return Membership.objects.create(
        partnership=partnership, organisation=organisation, role=role, **fields
    )
