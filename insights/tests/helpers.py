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


COMPILATION_PAGE = (
    "https://www.ks.no/fagomrader/forskning-og-utvikling-fou/forskning-og-utvikling/"
    "samarbeid-mellom-kommuner-og-universitet/erfaringer-og-laringspunkter/samarbeidsomrader/"
)


def statement(partnership, organisation, topic, url: str = COMPILATION_PAGE, text: str = ""):
    """A sourced statement (by default cited from the compilation's overview page)."""
    from partnerships.models import Statement

    return Statement.objects.create(
        partnership=partnership,
        organisation=organisation,
        topic=topic,
        text=text or f"The source says something about {organisation}.",
        source_url=url,
    )


def anchor(partnership, level, organisation=None, label="", evidence=None, **fields):
    """An anchoring record (evidence: a decision unless given)."""
    from partnerships.choices import Evidence
    from partnerships.models import Anchoring

    return Anchoring.objects.create(
        partnership=partnership,
        organisation=organisation,
        party_label=label,
        level=level,
        evidence=evidence or Evidence.DECISION,
        **fields,
    )


def result(partnership, result_type="research_project", **fields):
    """A reported result of the partnership."""
    from partnerships.models import ReportedResult

    fields.setdefault("description", f"A {result_type}")
    return ReportedResult.objects.create(partnership=partnership, result_type=result_type, **fields)
