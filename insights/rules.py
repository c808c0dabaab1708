"""The rules behind the derived analyses: anchoring gaps, motor municipalities, maturity.

Plain functions over the records, no requests. Each answers from what is
recorded, and says what decided the answer; where the records do not tell,
the answer is "unknown" (or no suggestion), never a guess, and where a notion
does not apply the answer is "not applicable" with the reason. The rules in
plain words, with their sources: docs/insights.md.

For many partnerships at once, pass partnerships from :func:`rules_queryset`
(and annotate them with :func:`attach_unowned_counts`): the functions then use
the prefetched rows and run no queries of their own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any
from urllib.parse import urlsplit

from django.db import connection
from django.db.models import Count, F, Prefetch, QuerySet
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activities.choices import ActivityType
from activities.models import Activity, ActivityOrganisation
from activities.portfolio import IN_LIST_LIMIT, in_partnerships, visible_activities
from core.dates import local_today
from organisations.choices import KNOWLEDGE_KINDS, OrganisationKind
from organisations.models import Organisation
from partnerships.choices import (
    ACADEMIC_LEVELS,
    ACADEMIC_TOP_LEVELS,
    MUNICIPAL_LEVELS,
    MUNICIPAL_TOP_LEVELS,
    AnchoringLevel,
    BodyKind,
    Evidence,
    Initiative,
    PartnershipKind,
    PlanKind,
    ResultType,
    Role,
    StatementTopic,
)
from partnerships.models import (
    Agreement,
    Anchoring,
    Body,
    Membership,
    Partnership,
    Plan,
    ReportedResult,
    ResearchBudget,
    Statement,
)

HIGH, MEDIUM, LOW = "high", "medium", "low"
SEVERITIES = [HIGH, MEDIUM, LOW]

#: Statuses of one criterion.
MET, NOT_MET, UNKNOWN, NOT_APPLICABLE = "met", "not_met", "unknown", "not_applicable"
#: Headline statuses of a motor assessment besides met / not met / unknown /
#: not applicable: a source names the municipality a motor municipality, or
#: the partnership it leads rejects the term.
STATED, TERM_REJECTED = "stated", "term_rejected"

#: Academic levels below the institution's top management (board, rectorate).
ACADEMIC_BELOW_TOP = [lvl for lvl in ACADEMIC_LEVELS if lvl not in ACADEMIC_TOP_LEVELS]
#: The level each kind of body stands for, the same in every partnership: a
#: municipal group (the municipalities' heads of a service area) is sector
#: management; professional and working groups bring in the services.
BODY_LEVELS = {
    BodyKind.MUNICIPAL_GROUP: AnchoringLevel.SECTOR_MANAGEMENT,
    BodyKind.PROFESSIONAL_GROUP: AnchoringLevel.SERVICE_LEVEL,
    BodyKind.WORKING_GROUP: AnchoringLevel.SERVICE_LEVEL,
}
#: Bodies that bring the collaboration down to the services.
SERVICE_BODIES = {k for k, lvl in BODY_LEVELS.items() if lvl == AnchoringLevel.SERVICE_LEVEL}
#: Bodies that count as a coordinating function run for all partners.
COORDINATING_BODIES = {BodyKind.SECRETARIAT}
#: Words in a described party ("alle medlemskommunene") that make it cover
#: every member municipality.
ALL_MUNICIPALITIES_WORDS = ("alle", "all ", "kommunene", "municipalities")
#: Words that place a described party on one side when its level does not.
ACADEMIC_WORDS = ("universit", "høgskol", "hogskol", "institutt", "college", "akadem", "academ")
MUNICIPAL_WORDS = ("kommun", "municipal", "bydel", "district")
#: Initiatives that came from the municipal side.
MUNICIPAL_INITIATIVES = {
    Initiative.MUNICIPALITY,
    Initiative.MUNICIPALITY_POLITICAL,
    Initiative.MUNICIPALITY_ADMINISTRATIVE,
}

#: Themes from which a partnership counts as working across the service areas.
ALL_SERVICE_AREAS_THEMES = 5
#: At most this many themes count as "a few fields".
FEW_FIELDS_THEMES = 3

#: The KSF criteria, for "n of 3".
KSF_CRITERIA = 3


def _join(items: list[str]) -> str:
    """ "a", "a and b", "a, b and c"."""
    items = [str(i) for i in items]
    if len(items) < 2:
        return "".join(items)
    return _("%(first)s and %(last)s") % {"first": ", ".join(items[:-1]), "last": items[-1]}


def _fte(value: Decimal) -> str:
    """Coordinator capacity in the locale's format, without trailing zeros (0,8; 3)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return number_format(int(value))
    return number_format(value.normalize())


def _nok(value) -> str:
    return number_format(int(value), force_grouping=True)


def is_compilation_url(url: str) -> bool:
    """Whether ``url`` is a page of the KS compilation (overview or partnership page)."""
    parts = urlsplit(url or "")
    return parts.netloc.endswith("ks.no") and (
        "/samarbeid-mellom-kommuner-og-universitet/" in parts.path + "/"
    )


# ---------------------------------------------------------------- shared


@dataclass
class EvidenceItem:
    """A record that decides or supports a verdict.

    ``url`` links to the record on this site (a partnership, a portfolio);
    ``source`` is the address of the source it was taken from, shown as a
    citation.
    """

    text: str
    url: str = ""
    source: str = ""


def rules_queryset() -> QuerySet[Partnership]:
    """Partnerships with every row the rules read, in a fixed number of queries."""
    return Partnership.objects.prefetch_related(
        "themes",
        Prefetch(
            "memberships",
            queryset=Membership.objects.select_related("organisation").order_by(
                "organisation__name"
            ),
        ),
        "agreements",
        Prefetch("anchorings", queryset=Anchoring.objects.select_related("organisation")),
        "bodies",
        Prefetch("statements", queryset=Statement.objects.order_by("topic", "id")),
        "reported_results",
    )


def _current_members(partnership: Partnership) -> list[Membership]:
    return [m for m in partnership.memberships.all() if m.valid_to is None]


def _municipal_members(partnership: Partnership) -> list[Membership]:
    return [
        m
        for m in _current_members(partnership)
        if m.role in (Role.LEAD, Role.MEMBER_MUNICIPALITY)
        and m.organisation.kind == OrganisationKind.MUNICIPALITY
    ]


def municipality_count(partnership: Partnership) -> tuple[int, int]:
    """``(count, named)``: the number of municipalities and how many are named.

    A partnership whose members are not all named uses the number its source
    states (``Partnership.stated_municipality_count``); otherwise the count is
    the named members.
    """
    named = len(_municipal_members(partnership))
    return partnership.stated_beyond_named(named) or named, named


def municipality_count_text(partnership: Partnership) -> str:
    """ "a cluster of 9 municipalities" / "a cluster of 6 municipalities, 1 named"."""
    n, named = municipality_count(partnership)
    if named == n:
        return ngettext(
            "leads a cluster of %(n)s municipality",
            "leads a cluster of %(n)s municipalities",
            n,
        ) % {"n": n}
    return ngettext(
        "leads a cluster of %(n)s municipalities, %(named)s named",
        "leads a cluster of %(n)s municipalities, %(named)s named",
        named,
    ) % {"n": n, "named": named}


# ---------------------------------------------------------------- gaps


@dataclass
class Gap:
    """Something missing in a partnership's anchoring, and what would close it.

    ``stated`` is True where the sources state the absence (or the end of an
    agreement), False where it is simply not recorded (and recording it may
    close the gap), None where neither fits (a coding inconsistency).
    """

    code: str
    severity: str  # "high" | "medium" | "low"
    title: str
    explanation: str
    remedy: str
    party: str = ""
    stated: bool | None = False
    evidence: list[EvidenceItem] = field(default_factory=list)


#: Gap codes in the order they are checked, for filters and docs.
GAP_CODES = [
    "no_anchoring",
    "service_level_absent",
    "top_without_service_level",
    "academic_below_rectorate",
    "academic_top_not_recorded",
    "body_level_mismatch",
    "agreement_expired",
    "agreement_expiring",
    "member_without_anchoring",
    "activities_without_strategic_owner",
]


def gap_code_labels() -> dict[str, str]:
    """Short translated names of the gap codes (for filters)."""
    return {
        "no_anchoring": _("No anchoring recorded"),
        "service_level_absent": _("Services not anchored, as the sources state"),
        "top_without_service_level": _("Service level not recorded"),
        "academic_below_rectorate": _(
            "Academic side below board and rectorate only, as the sources state"
        ),
        "academic_top_not_recorded": _("Academic board or rectorate not recorded"),
        "body_level_mismatch": _("Body coded at another level than its kind"),
        "agreement_expired": _("Agreement expired"),
        "agreement_expiring": _("Agreement expires within six months"),
        "member_without_anchoring": _("Member municipality without anchoring"),
        "activities_without_strategic_owner": _("Activities without a strategic owner"),
    }


def severity_labels() -> dict[str, str]:
    return {HIGH: _("High"), MEDIUM: _("Medium"), LOW: _("Low")}


def unowned_activity_counts(partnerships: Iterable) -> dict[int, int]:
    """``{partnership_id: activities without a strategic owner}`` (one query).

    Counts the public, live activities, as anyone may see them.
    """
    ids = [getattr(p, "pk", p) for p in partnerships]
    rows = (
        in_partnerships(visible_activities(None), ids)
        .filter(strategic_owner__isnull=True)
        .order_by()
        .values("partnerships")
        .annotate(n=Count("pk", distinct=True))
        .values_list("partnerships", "n")
    )
    wanted = set(ids)
    return dict.fromkeys(ids, 0) | {pk: n for pk, n in rows if pk in wanted}


def attach_unowned_counts(partnerships: list[Partnership]) -> list[Partnership]:
    """Set ``unowned_activity_count`` on each partnership (one query for all)."""
    counts = unowned_activity_counts(partnerships)
    for p in partnerships:
        p.unowned_activity_count = counts.get(p.pk, 0)
    return partnerships


def anchoring_side(anchoring: Anchoring) -> str:
    """``"municipal"``, ``"academic"`` or ``""`` (either, or cannot tell).

    An organisation decides by its kind (universities, university colleges,
    research institutes and hospitals are academic; municipalities, districts
    and counties municipal). A described party goes by its level, and at level
    "other" by the words of its description.
    """
    org = anchoring.organisation
    if org is not None:
        if org.kind in KNOWLEDGE_KINDS:
            return "academic"
        if org.kind in (
            OrganisationKind.MUNICIPALITY,
            OrganisationKind.DISTRICT,
            OrganisationKind.COUNTY,
        ):
            return "municipal"
        return ""
    if anchoring.level in ACADEMIC_LEVELS:
        return "academic"
    if anchoring.level in MUNICIPAL_LEVELS:
        return "municipal"
    label = anchoring.party_label.lower()
    academic = any(w in label for w in ACADEMIC_WORDS)
    municipal = any(w in label for w in MUNICIPAL_WORDS)
    if academic and not municipal:
        return "academic"
    if municipal and not academic:
        return "municipal"
    return ""


def _covers_all_municipalities(anchoring: Anchoring) -> bool:
    label = anchoring.party_label.lower()
    return anchoring.organisation_id is None and any(w in label for w in ALL_MUNICIPALITIES_WORDS)


def _names_in_label(label: str, names: Iterable[str]) -> set[str]:
    words = set(re.findall(r"\w+", label.lower()))
    return {n for n in names if n and set(re.findall(r"\w+", n.lower())) <= words}


def _agreement_replaced(agreement, agreements, year: int) -> bool:
    """Whether another agreement of the same kind runs on after ``agreement`` ends."""
    return any(
        other.pk != agreement.pk
        and other.kind == agreement.kind
        and (other.valid_to_year is None or other.valid_to_year > agreement.valid_to_year)
        and (other.valid_to_year is None or other.valid_to_year >= year)
        for other in agreements
    )


def agreement_expired(agreement: Agreement, agreements: list[Agreement], today: date) -> bool:
    """Ended before this year and not replaced by a later agreement of the same kind."""
    return agreement.expired(today) and not _agreement_replaced(agreement, agreements, today.year)


def _anchoring_evidence(a: Anchoring) -> EvidenceItem:
    text = f"{a.party} – {a.get_level_display()}"
    if a.body:
        text += f" ({a.body})"
    if a.description:
        text += f": {a.description}"
    return EvidenceItem(text, source=a.source_url)


def _academic_party_label(records: list[Anchoring], partnership: Partnership) -> str:
    """The party of academic records; a described party ("universitetene") is
    completed with the academic partners' names."""
    org = records[0].organisation
    if org is not None:
        return str(org)
    partners = [
        m.organisation.short_name or m.organisation.name
        for m in _current_members(partnership)
        if m.role == Role.ACADEMIC_PARTNER
    ]
    label = records[0].party_label
    return f"{label} ({', '.join(partners)})" if partners else label


def _academic_gaps(partnership: Partnership, anchorings: list[Anchoring]) -> list[Gap]:
    """Per academic party: anchored below board and rectorate only.

    The absence is *stated* when the sources say the party is not anchored at
    the top (a record marked absent at board or rectorate), or when the
    partnership's own account of its anchoring (evidence "stated by the
    partnership") names only levels below the top; otherwise the top is just
    not recorded.
    """
    parties: dict[str, list[Anchoring]] = {}
    for a in anchorings:
        if anchoring_side(a) == "academic":
            key = f"o{a.organisation_id}" if a.organisation_id else f"l{a.party_label.lower()}"
            parties.setdefault(key, []).append(a)
    gaps = []
    for records in parties.values():
        present = [a for a in records if not a.absent]
        if any(a.level in ACADEMIC_TOP_LEVELS for a in present):
            continue
        below = [a for a in present if a.level in ACADEMIC_BELOW_TOP]
        absent_top = [a for a in records if a.absent and a.level in ACADEMIC_TOP_LEVELS]
        if not below and not absent_top:
            continue
        party = _academic_party_label(records, partnership)
        levels = _join(
            [
                str(AnchoringLevel(lvl).label).lower()
                for lvl in ACADEMIC_BELOW_TOP
                if any(a.level == lvl for a in below)
            ]
        )
        evidence = [_anchoring_evidence(a) for a in below + absent_top]
        if absent_top or all(a.evidence == Evidence.STATEMENT for a in below):
            gaps.append(
                Gap(
                    "academic_below_rectorate",
                    MEDIUM,
                    _("Academic side anchored below board and rectorate only"),
                    (
                        _(
                            "The sources state that %(party)s has not anchored the "
                            "partnership at board or rectorate level."
                        )
                        if absent_top
                        else _(
                            "The sources describe %(party)s as anchored at %(levels)s level "
                            "only, not at board or rectorate level."
                        )
                    )
                    % {"party": party, "levels": levels},
                    _(
                        "Seek the rectorate's or the board's commitment: a signed agreement "
                        "or a seat in the steering group."
                    ),
                    party=party,
                    stated=True,
                    evidence=evidence,
                )
            )
        else:
            gaps.append(
                Gap(
                    "academic_top_not_recorded",
                    LOW,
                    _("Academic board or rectorate not recorded"),
                    _(
                        "%(party)s is recorded at %(levels)s level; whether its board or "
                        "rectorate backs the partnership is not recorded."
                    )
                    % {"party": party, "levels": levels},
                    _(
                        "Record the board's or rectorate's decision or signature if there is "
                        "one; if there is none, seek it."
                    ),
                    party=party,
                    evidence=evidence,
                )
            )
    return gaps


def _body_level_gaps(anchorings: list[Anchoring], bodies: list[Body]) -> list[Gap]:
    """A municipal anchoring through a body coded at another level than the body's kind."""
    gaps = []
    for a in anchorings:
        if not a.body or anchoring_side(a) != "municipal":
            continue
        name = a.body.lower()
        for b in bodies:
            expected = BODY_LEVELS.get(b.kind)
            bname = b.name.lower()
            if expected is None or not (name.startswith(bname) or bname.startswith(name)):
                continue
            if a.level != expected:
                gaps.append(
                    Gap(
                        "body_level_mismatch",
                        LOW,
                        _("%(body)s coded at another level than its kind") % {"body": a.body},
                        _(
                            "The anchoring of %(party)s through %(body)s is coded as "
                            "%(level)s, but a %(kind)s is %(expected)s in every partnership."
                        )
                        % {
                            "party": a.party,
                            "body": a.body,
                            "level": str(a.get_level_display()).lower(),
                            "kind": str(b.get_kind_display()).lower(),
                            "expected": str(AnchoringLevel(expected).label).lower(),
                        },
                        _("Correct the level of the anchoring record."),
                        party=a.party,
                        stated=None,
                        evidence=[_anchoring_evidence(a)],
                    )
                )
            break
    return gaps


def anchoring_gaps(partnership: Partnership, *, today: date | None = None) -> list[Gap]:
    """The gaps in a partnership's anchoring, most severe first.

    ``today`` decides which agreements have expired (default: today's date).
    Records marked ``absent`` are stated absences, never anchoring. Uses
    prefetched rows where there are any (see :func:`rules_queryset`).
    """
    today = today or local_today()
    records = list(partnership.anchorings.all())
    anchorings = [a for a in records if not a.absent]
    gaps: list[Gap] = []

    if not anchorings:
        gaps.append(
            Gap(
                "no_anchoring",
                HIGH,
                _("No anchoring recorded"),
                _(
                    "No party is recorded as having anchored the partnership at any level, "
                    "so nobody can see who backs it."
                ),
                _(
                    "Record the decisions, signed agreements, adopted plans or seats in "
                    "bodies that anchor the partnership, party by party."
                ),
                evidence=[_anchoring_evidence(a) for a in records],
            )
        )

    municipal = [a for a in anchorings if anchoring_side(a) == "municipal"]
    bodies = list(partnership.bodies.all())
    top = [a for a in municipal if a.level in MUNICIPAL_TOP_LEVELS]
    service = [a for a in anchorings if a.level == AnchoringLevel.SERVICE_LEVEL]
    service_bodies = [b for b in bodies if b.kind in SERVICE_BODIES]
    service_absent = [
        a
        for a in records
        if a.absent and a.level == AnchoringLevel.SERVICE_LEVEL and anchoring_side(a) != "academic"
    ]
    if not service and not service_bodies and service_absent:
        gaps.append(
            Gap(
                "service_level_absent",
                MEDIUM,
                _("The services are not anchored, as the sources state"),
                _(
                    "The sources state that the partnership is not anchored at service and "
                    "professional level."
                ),
                _(
                    "Set up a professional group or working group with people from the "
                    "services, so the collaboration reaches their daily work."
                ),
                party=", ".join(sorted({a.party for a in service_absent})),
                stated=True,
                evidence=[_anchoring_evidence(a) for a in service_absent],
            )
        )
    elif top and not service and not service_bodies:
        gaps.append(
            Gap(
                "top_without_service_level",
                LOW,
                _("Anchored at the top; the service level is not recorded"),
                _(
                    "The municipal side is anchored at political or administrative top level, "
                    "but no anchoring at service and professional level and no professional "
                    "or working group is recorded. Sector management is not the service level."
                ),
                _(
                    "If the services take part, record it; if they do not, set up a "
                    "professional group or working group with people from the services."
                ),
                evidence=[_anchoring_evidence(a) for a in top],
            )
        )

    gaps += _academic_gaps(partnership, records)
    gaps += _body_level_gaps(anchorings, bodies)

    agreements = list(partnership.agreements.all())
    for ag in agreements:
        if ag.valid_to_year is None or _agreement_replaced(ag, agreements, today.year):
            continue
        if ag.expired(today):
            gaps.append(
                Gap(
                    "agreement_expired",
                    HIGH,
                    _("Agreement expired: %(title)s") % {"title": ag.title},
                    _(
                        "The agreement ran until %(year)s and no later agreement of the "
                        "same kind is recorded, so it is not running now."
                    )
                    % {"year": ag.valid_to_year},
                    _("Renew the agreement, or record the agreement that replaced it."),
                    stated=True,
                    evidence=[EvidenceItem(ag.title, source=ag.source_url)],
                )
            )
        elif ag.valid_to_year == today.year and today.month >= 7:
            gaps.append(
                Gap(
                    "agreement_expiring",
                    MEDIUM,
                    _("Agreement expires within six months: %(title)s") % {"title": ag.title},
                    _(
                        "The agreement runs until the end of %(year)s and no later agreement "
                        "of the same kind is recorded."
                    )
                    % {"year": ag.valid_to_year},
                    _("Start renewing the agreement now, so the partnership has no gap."),
                    stated=True,
                    evidence=[EvidenceItem(ag.title, source=ag.source_url)],
                )
            )

    members = _municipal_members(partnership)
    anchored = {a.organisation_id for a in anchorings if a.organisation_id}
    for a in anchorings:
        if a.organisation_id is None:
            named = _names_in_label(a.party_label, [m.organisation.name for m in members])
            anchored |= {m.organisation_id for m in members if m.organisation.name in named}
    covered = any(_covers_all_municipalities(a) for a in anchorings)
    if anchorings and not covered:
        for m in members:
            if m.organisation_id not in anchored:
                gaps.append(
                    Gap(
                        "member_without_anchoring",
                        MEDIUM,
                        _("No anchoring recorded for %(party)s") % {"party": m.organisation},
                        _(
                            "%(party)s is a member, but no decision, agreement, plan or seat "
                            "in a body is recorded for it."
                        )
                        % {"party": m.organisation},
                        _(
                            "Record how %(party)s has anchored the partnership, for example "
                            "the council decision or the signed agreement."
                        )
                        % {"party": m.organisation},
                        party=str(m.organisation),
                    )
                )

    unowned = getattr(partnership, "unowned_activity_count", None)
    if unowned is None:
        unowned = unowned_activity_counts([partnership])[partnership.pk]
    if unowned:
        gaps.append(
            Gap(
                "activities_without_strategic_owner",
                LOW if unowned < 3 else MEDIUM,
                _("Activities without a strategic owner"),
                ngettext(
                    "%(n)s activity in the portfolio has no strategic owner: no management "
                    "level has committed to it.",
                    "%(n)s activities in the portfolio have no strategic owner: no management "
                    "level has committed to them.",
                    unowned,
                )
                % {"n": unowned},
                _(
                    "Name the management level that owns each activity strategically, "
                    "beside its professional owner."
                ),
                evidence=[
                    EvidenceItem(
                        _("Portfolio of %(name)s") % {"name": partnership.name},
                        reverse("activities:partnership_portfolio", args=[partnership.slug]),
                    )
                ],
            )
        )

    return sorted(gaps, key=lambda g: SEVERITIES.index(g.severity))


# ----------------------------------------------------- motor municipalities


@dataclass
class Criterion:
    """One criterion, its status, the sentence saying what decided it, and the records."""

    code: str
    title: str
    status: str  # "met" | "not_met" | "unknown" | "not_applicable"
    evidence: list[EvidenceItem] = field(default_factory=list)
    decided_by: str = ""
    #: The anchor of the term on the concepts page (/concepts/#<concept>).
    concept: str = ""


@dataclass
class MotorAssessment:
    """A lead municipality against the compilation's motor-municipality role and KSF.

    ``status`` is the headline: ``stated`` (a source names it a motor
    municipality), ``term_rejected`` (a partnership it leads rejects the
    term), ``not_applicable`` (it leads no cluster and no source uses the term
    for it), or else, for a cluster lead, the KSF criteria's
    ``ksf_status``. ``verdict`` says the same in a sentence with the KSF
    counts; ``statements`` are the sourced statements behind it.
    """

    organisation: Organisation
    partnerships: list[Partnership]
    role: list[Criterion]
    criteria: list[Criterion]
    status: str
    verdict: str = ""
    ksf_status: str = ""
    statements: list[EvidenceItem] = field(default_factory=list)

    @property
    def anchor(self) -> str:
        return f"org-{self.organisation.pk}"

    @property
    def ksf_counts(self) -> dict[str, int]:
        return {s: sum(1 for c in self.criteria if c.status == s) for s in (MET, NOT_MET, UNKNOWN)}


def overall_status(criteria: list[Criterion]) -> str:
    """Met when all that apply are met; not met when any is not met; otherwise unknown.

    Criteria that do not apply are left out; when none applies, not applicable.
    """
    statuses = [c.status for c in criteria if c.status != NOT_APPLICABLE]
    if criteria and not statuses:
        return NOT_APPLICABLE
    if statuses and all(s == MET for s in statuses):
        return MET
    if NOT_MET in statuses:
        return NOT_MET
    return UNKNOWN


def status_labels() -> dict[str, str]:
    return {
        MET: _("Met"),
        NOT_MET: _("Not met"),
        UNKNOWN: _("Unknown"),
        NOT_APPLICABLE: _("Not applicable"),
        STATED: _("Motor municipality according to the sources"),
        TERM_REJECTED: _("Rejects the term motor municipality"),
    }


def _partnership_evidence(p: Partnership, text: str, source: str = "") -> EvidenceItem:
    return EvidenceItem(f"{p.name}: {text}", p.get_absolute_url(), source)


def _statement_evidence(s: Statement) -> EvidenceItem:
    return EvidenceItem(s.text, source=s.source_url)


def _statements(p: Partnership, org: Organisation, topic: str) -> list[Statement]:
    return [
        s for s in p.statements.all() if s.topic == topic and s.organisation_id in (None, org.pk)
    ]


def _not_a_cluster(p: Partnership) -> str:
    if p.kind == PartnershipKind.BILATERAL:
        return _(
            "%(name)s is bilateral (one municipality with one academic partner), not a cluster."
        )
    if p.kind == PartnershipKind.MULTILATERAL:
        return _("%(name)s is multilateral (no lead-municipality structure), not a cluster.")
    return _("%(name)s is not a cluster.")


def _leads_cluster(org: Organisation, led: list[Partnership]) -> Criterion:
    title = _("Leads a cluster of municipalities")
    clusters = [p for p in led if p.kind == PartnershipKind.CLUSTER]
    if clusters:
        return Criterion(
            "leads_cluster",
            title,
            MET,
            [_partnership_evidence(p, municipality_count_text(p)) for p in clusters],
            ngettext(
                "It is the lead municipality of a cluster.",
                "It is the lead municipality of %(n)s clusters.",
                len(clusters),
            )
            % {"n": len(clusters)},
            "kinds",
        )
    return Criterion(
        "leads_cluster",
        title,
        NOT_APPLICABLE,
        [EvidenceItem(_not_a_cluster(p) % {"name": p.name}, p.get_absolute_url()) for p in led],
        _("It leads no cluster, so leading one does not apply."),
        "kinds",
    )


def _runs_for_all(led: list[Partnership]) -> Criterion:
    title = _("Runs the cluster for all partners")
    clusters = [p for p in led if p.kind == PartnershipKind.CLUSTER]
    if not clusters:
        return Criterion(
            "runs_for_all",
            title,
            NOT_APPLICABLE,
            [],
            _("Applies to the lead of a cluster only."),
            "motor-municipality",
        )
    run, zero, bodies = [], [], []
    for p in clusters:
        coordinating = [b for b in p.bodies.all() if b.kind in COORDINATING_BODIES]
        for b in coordinating:
            run.append(_partnership_evidence(p, str(b.name), b.source_url))
        if p.coordinator_fte:
            text = _("coordinator capacity %(fte)s FTE") % {"fte": _fte(p.coordinator_fte)}
            if p.coordinator_note:
                text += f" – {p.coordinator_note}"
            run.append(_partnership_evidence(p, text))
        elif p.coordinator_fte is not None and not coordinating:
            zero.append(_partnership_evidence(p, _("no coordinator capacity (0 FTE)")))
        others = [b.name for b in p.bodies.all() if b.kind not in COORDINATING_BODIES]
        if others:
            bodies.append(
                _partnership_evidence(
                    p,
                    ngettext(
                        "%(n)s body for the partners: %(names)s",
                        "%(n)s bodies for the partners: %(names)s",
                        len(others),
                    )
                    % {"n": len(others), "names": ", ".join(others)},
                )
            )
    if run:
        return Criterion(
            "runs_for_all",
            title,
            MET,
            run + bodies,
            _("Coordinator capacity or a secretariat runs the cluster for all partners."),
            "motor-municipality",
        )
    if zero and len(zero) == len(clusters):
        return Criterion(
            "runs_for_all",
            title,
            NOT_MET,
            zero + bodies,
            _("The cluster records no coordinator capacity and no secretariat."),
            "motor-municipality",
        )
    return Criterion(
        "runs_for_all",
        title,
        UNKNOWN,
        bodies,
        _(
            "Neither coordinator capacity nor a secretariat is recorded for the cluster; "
            "record them if it has them."
        ),
        "motor-municipality",
    )


def _initiative_text(p: Partnership) -> str:
    text = str(p.get_initiative_display()) if p.initiative else _("not recorded")
    if p.initiative_note:
        text += f" – {p.initiative_note}"
    return text


def _initiative(org: Organisation, led: list[Partnership]) -> Criterion:
    """Takes the initiative towards academia, where the notion applies.

    It applies to the lead of a cluster, and to a partnership where a source
    calls the municipality a motor municipality; a statement on a partnership
    that is not a cluster uses the term in its other sense, the initiator
    towards academia, and decides the criterion.
    """
    title = _("Takes the initiative towards academia")
    results: list[tuple[str, EvidenceItem, str]] = []
    for p in led:
        named = _statements(p, org, StatementTopic.MOTOR_MUNICIPALITY)
        if p.kind != PartnershipKind.CLUSTER and not named:
            continue
        if p.initiative in MUNICIPAL_INITIATIVES:
            results.append(
                (
                    MET,
                    _partnership_evidence(p, _initiative_text(p)),
                    _("The initiative came from the municipal side."),
                )
            )
        elif named and p.kind != PartnershipKind.CLUSTER:
            for s in named:
                results.append(
                    (
                        MET,
                        _partnership_evidence(p, s.text, s.source_url),
                        _(
                            "A source calls it the motor of the partnership, the term's sense "
                            "of initiator towards academia."
                        ),
                    )
                )
        elif p.initiative in (Initiative.ACADEMIA, Initiative.MUTUAL):
            results.append(
                (
                    NOT_MET,
                    _partnership_evidence(p, _initiative_text(p)),
                    _("The initiative came from academia or from both sides."),
                )
            )
        elif p.initiative == Initiative.MUNICIPALITY_OR_MUTUAL:
            results.append(
                (
                    UNKNOWN,
                    _partnership_evidence(p, _initiative_text(p)),
                    _("The source does not say whether the municipality or both sides began it."),
                )
            )
        else:
            results.append(
                (
                    UNKNOWN,
                    _partnership_evidence(p, _initiative_text(p)),
                    _("No initiative is recorded."),
                )
            )
    if not results:
        return Criterion(
            "initiative",
            title,
            NOT_APPLICABLE,
            [_partnership_evidence(p, _initiative_text(p)) for p in led if p.initiative],
            _(
                "Applies to the lead of a cluster and where a source calls the municipality a "
                "motor municipality; neither holds here."
            ),
            "initiative",
        )
    for status in (MET, UNKNOWN, NOT_MET):
        found = [r for r in results if r[0] == status]
        if found and (status != NOT_MET or len(found) == len(results)):
            return Criterion(
                "initiative", title, status, [r[1] for r in found], found[0][2], "initiative"
            )
    return Criterion("initiative", title, UNKNOWN, [r[1] for r in results], "", "initiative")


def _result_text(r: ReportedResult) -> str:
    text = str(ResultType(r.result_type).label) if r.result_type else ""
    if r.count is not None:
        text += f" ({r.count_display})"
    return f"{text}: {r.description}" if text else r.description


PLAN, POLITICAL_CASE, AGREEMENT = "plan", "political_case", "agreement"


def plan_kind(plan: Plan) -> str:
    """What a Plan record counts as for KSF's third criterion: ``plan``,
    ``political_case`` or ``agreement``, from its recorded ``kind``.

    A plan or a strategy for research, education and innovation can meet the
    criterion; a political case (sak) or an agreement supports it only.
    """
    if plan.kind == PlanKind.POLITICAL_CASE:
        return POLITICAL_CASE
    if plan.kind == PlanKind.AGREEMENT:
        return AGREEMENT
    return PLAN


def plan_kind_labels() -> dict[str, str]:
    """Short lower-case names of the recorded plan kinds, for evidence texts."""
    return {
        PlanKind.PLAN: _("plan"),
        PlanKind.STRATEGY: _("strategy"),
        PlanKind.POLITICAL_CASE: _("political case"),
        PlanKind.AGREEMENT: _("agreement"),
    }


def _plan_text(plan: Plan) -> str:
    details = [str(plan_kind_labels().get(plan.kind, plan.kind))]
    if plan.adopted_by:
        details.append(plan.adopted_by)
    if plan.year:
        details.append(str(plan.year))
    return f"{plan.name} ({', '.join(details)})"


def _agreement_text(p: Partnership, ag: Agreement, agreements, today: date) -> str:
    details = [str(ag.get_kind_display())]
    if ag.period_display:
        details.append(ag.period_display)
    elif ag.signed_year:
        details.append(_("from %(year)s") % {"year": ag.signed_year})
    if agreement_expired(ag, agreements, today):
        details.append(_("expired"))
    elif ag.expired(today):
        details.append(_("ended, continued by a later agreement"))
    return f"{p.name}: {ag.title} ({', '.join(details)})"


def _ambition_experience(
    activities: dict[str, int],
    led: list[Partnership],
    plans: list[Plan],
    budgets: list[ResearchBudget],
) -> Criterion:
    """KSF 1: ambition and experience in research, education and innovation.

    Experience: reported results of the partnerships it leads and public
    activities in its portfolio. Ambition: its plans (also cases and
    agreements), a research budget above 0, coordinator capacity and bodies of
    the partnerships it leads. Met when both are recorded; not met when the
    latest research budget sets aside nothing and no plan, coordinator capacity
    or body is recorded; otherwise unknown.
    """
    title = _("Ambition and experience in research, education and innovation")
    experience: list[EvidenceItem] = []
    for p in led:
        for r in p.reported_results.all():
            experience.append(_partnership_evidence(p, _result_text(r), r.source_url))
    if activities:
        total = sum(activities.values())
        labels = ", ".join(str(ActivityType(t).label) for t in sorted(activities))
        experience.append(
            EvidenceItem(
                ngettext(
                    "%(n)s activity in the portfolio (%(types)s)",
                    "%(n)s activities in the portfolio (%(types)s)",
                    total,
                )
                % {"n": total, "types": labels}
            )
        )
        experience += [
            EvidenceItem(
                _("Portfolio of %(name)s") % {"name": p.name},
                reverse("activities:partnership_portfolio", args=[p.slug]),
            )
            for p in led
        ]
    ambition: list[EvidenceItem] = [
        EvidenceItem(_plan_text(pl), source=pl.source_url) for pl in plans
    ]
    latest = max(budgets, key=lambda b: b.year) if budgets else None
    if latest and latest.research_amount_nok > 0:
        ambition.append(
            EvidenceItem(
                _("Research budget %(year)s: NOK %(amount)s")
                % {"year": latest.year, "amount": _nok(latest.research_amount_nok)},
                source=latest.source_url,
            )
        )
    for p in led:
        if p.coordinator_fte:
            ambition.append(
                _partnership_evidence(
                    p, _("coordinator capacity %(fte)s FTE") % {"fte": _fte(p.coordinator_fte)}
                )
            )
        names = [b.name for b in p.bodies.all()]
        if names:
            ambition.append(
                _partnership_evidence(
                    p,
                    ngettext("%(n)s body: %(names)s", "%(n)s bodies: %(names)s", len(names))
                    % {"n": len(names), "names": ", ".join(names)},
                )
            )
    n = sum(len(p.reported_results.all()) for p in led) + len(activities)
    evidence = experience + ambition
    if experience and ambition:
        return Criterion(
            "ambition_experience",
            title,
            MET,
            evidence,
            ngettext(
                "Experience: %(n)s reported result or activity; ambition: plans, budgets, "
                "coordinator capacity or bodies.",
                "Experience: %(n)s reported results or activities; ambition: plans, budgets, "
                "coordinator capacity or bodies.",
                n,
            )
            % {"n": n},
            "motor-municipality",
        )
    if not ambition and latest is not None and latest.research_amount_nok == 0:
        return Criterion(
            "ambition_experience",
            title,
            NOT_MET,
            evidence
            + [
                EvidenceItem(
                    _("Research budget %(year)s: nothing set aside") % {"year": latest.year},
                    source=latest.source_url,
                )
            ],
            _(
                "The latest research budget sets aside nothing, and no plan, coordinator "
                "capacity or body is recorded."
            ),
            "motor-municipality",
        )
    if experience:
        why = _("Results or activities show experience, but no sign of ambition is recorded.")
    elif ambition:
        why = _(
            "Plans, coordinator capacity or bodies show ambition, but no results or "
            "activities are recorded."
        )
    else:
        why = _(
            "Neither results, activities, plans, budgets, coordinators nor bodies are recorded."
        )
    return Criterion("ambition_experience", title, UNKNOWN, evidence, why, "motor-municipality")


def _budget_criterion(budgets: list[ResearchBudget]) -> Criterion:
    """KSF 2: the latest recorded research budget decides: met with an amount above 0."""
    title = _("A share of the operating budget set aside for research")
    if not budgets:
        return Criterion(
            "research_budget",
            title,
            UNKNOWN,
            [],
            _(
                "No research budget is recorded. A fund mentioned in a note counts only once it "
                "is recorded as a research budget."
            ),
            "motor-municipality",
        )
    latest = max(budgets, key=lambda b: b.year)
    share = latest.share
    text = _("%(year)s: NOK %(amount)s of NOK %(budget)s") % {
        "year": latest.year,
        "amount": _nok(latest.research_amount_nok),
        "budget": _nok(latest.operating_budget_nok),
    }
    if share is not None:
        text += f" ({number_format((share * 100).quantize(Decimal('0.01')))} %)"
    if latest.research_amount_nok > 0:
        status = MET
        why = _("The latest research budget (%(year)s) sets aside an amount for research.")
    else:
        status = NOT_MET
        why = _("The latest research budget (%(year)s) sets aside nothing for research.")
    return Criterion(
        "research_budget",
        title,
        status,
        [EvidenceItem(text, source=latest.source_url)],
        why % {"year": latest.year},
        "motor-municipality",
    )


def _plan_criterion(plans: list[Plan], led: list[Partnership], today: date) -> Criterion:
    """KSF 3: a politically adopted plan for research, education and innovation.

    Only a plan or strategy (:func:`plan_kind`) can meet it: met when one is
    politically adopted; not met when every plan is recorded as not adopted by
    a political body. A political case or an agreement supports it and is
    named ("supported by … but no adopted plan recorded"); otherwise unknown.
    """
    title = _("A politically adopted plan for research, education and innovation")
    real = [pl for pl in plans if plan_kind(pl) == PLAN]
    adopted = [pl for pl in real if pl.politically_adopted]
    if adopted:
        return Criterion(
            "adopted_plan",
            title,
            MET,
            [EvidenceItem(_plan_text(pl), source=pl.source_url) for pl in adopted],
            _("A plan is recorded as adopted by a political body."),
            "motor-municipality",
        )
    supports = [
        EvidenceItem(_plan_text(pl), source=pl.source_url) for pl in plans if pl not in real
    ]
    for p in led:
        agreements = list(p.agreements.all())
        for ag in agreements:
            supports.append(
                EvidenceItem(_agreement_text(p, ag, agreements, today), source=ag.source_url)
            )
    evidence = [EvidenceItem(_plan_text(pl), source=pl.source_url) for pl in real] + supports
    if real and all(pl.politically_adopted is False for pl in real):
        return Criterion(
            "adopted_plan",
            title,
            NOT_MET,
            evidence,
            _("Every plan recorded is recorded as not adopted by a political body."),
            "motor-municipality",
        )
    if supports:
        # Name the political case or agreement a political body dealt with;
        # count the agreements of the partnerships otherwise.
        cases = [pl for pl in plans if plan_kind(pl) != PLAN]
        if cases:
            what = _join([_plan_text(pl) for pl in cases])
        else:
            n = len(supports)
            what = ngettext("%(n)s agreement", "%(n)s agreements", n) % {"n": n}
        if real:
            why = _(
                "A plan is recorded, but not whether a political body adopted it; "
                "%(what)s also supports it."
            ) % {"what": what}
        else:
            why = _("Supported by %(what)s, but no adopted plan recorded.") % {"what": what}
    elif real:
        why = _("A plan is recorded, but not whether a political body adopted it.")
    else:
        why = _("No plan is recorded.")
    return Criterion("adopted_plan", title, UNKNOWN, evidence, why, "motor-municipality")


def _portfolio_by_organisation(leads, org_ids: list[int]) -> dict[int, dict[str, int]]:
    """``{organisation_id: {activity_type: n}}``: the public activities each
    organisation is involved in (owner or role) or that belong to a partnership
    it leads (``leads``: its current lead memberships), each counted once.

    One query: the four ways in are joined into one set of (organisation,
    activity) pairs and counted by the database.
    """

    public = {"activity__deleted_at__isnull": True, "activity__is_public": True}
    # The two link tables are read from their organisation's (partnership's)
    # side: from the activity's side the database would probe every
    # organisation for every activity.
    # The first query names the columns of the union.
    in_led = (
        Activity.partnerships.through.objects.filter(partnership__memberships__in=leads, **public)
        .annotate(
            org=F("partnership__memberships__organisation"), kind=F("activity__activity_type")
        )
        .order_by()
        .values_list("org", "activity", "kind")
    )
    # A long list of organisations is not named (see activities.portfolio.
    # IN_LIST_LIMIT): every lead is a municipality, and rows of others are
    # dropped below.
    if len(org_ids) <= IN_LIST_LIMIT:
        which = {"in": org_ids}
    else:
        which = {"kind": OrganisationKind.MUNICIPALITY}
    in_roles = (
        ActivityOrganisation.objects.filter(
            **{f"organisation__{k}": v for k, v in which.items()}, **public
        )
        .order_by()
        .values_list("organisation", "activity", "activity__activity_type")
    )
    base = visible_activities(None).order_by()
    owners = [
        base.filter(**{f"{owner}__{k}": v for k, v in which.items()}).values_list(
            owner, "pk", "activity_type"
        )
        for owner in ("professional_owner", "strategic_owner")
    ]
    pairs = [in_led, in_roles, *owners]
    sql, params = pairs[0].union(*pairs[1:]).query.sql_with_params()
    result: dict[int, dict[str, int]] = {pk: {} for pk in org_ids}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT org, kind, COUNT(*) FROM ({sql}) AS pairs GROUP BY org, kind",  # noqa: S608
            params,
        )
        for org_id, activity_type, n in cursor.fetchall():
            if org_id in result:
                result[org_id][activity_type] = n
    return result


def _ksf_sentence(criteria: list[Criterion]) -> str:
    met = sum(1 for c in criteria if c.status == MET)
    not_met = sum(1 for c in criteria if c.status == NOT_MET)
    unknown = sum(1 for c in criteria if c.status == UNKNOWN)
    parts = [
        ngettext("%(met)s of %(total)s met", "%(met)s of %(total)s met", met)
        % {"met": met, "total": KSF_CRITERIA}
    ]
    if not_met:
        parts.append(ngettext("%(n)s not met", "%(n)s not met", not_met) % {"n": not_met})
    if unknown:
        parts.append(ngettext("%(n)s unknown", "%(n)s unknown", unknown) % {"n": unknown})
    return _("KSF criteria: %(counts)s") % {"counts": ", ".join(parts)}


def _headline(
    org: Organisation,
    led: list[Partnership],
    role: list[Criterion],
    criteria: list[Criterion],
) -> tuple[str, str, list[EvidenceItem]]:
    """``(status, verdict, statements)`` for one lead municipality."""
    named: list[Statement] = []
    rejected: list[Statement] = []
    for p in led:
        named += _statements(p, org, StatementTopic.MOTOR_MUNICIPALITY)
        rejected += _statements(p, org, StatementTopic.TERM_REJECTED)
    ksf = _ksf_sentence(criteria)
    statements = [_statement_evidence(s) for s in named + rejected]
    if named:
        if all(is_compilation_url(s.source_url) for s in named):
            first = _("Motor municipality according to the compilation")
        else:
            first = _("Motor municipality according to the cited sources")
        status = STATED
    elif rejected:
        if all(is_compilation_url(s.source_url) for s in rejected):
            first = _("Rejects the term motor municipality, according to the compilation")
        else:
            first = _("Rejects the term motor municipality, according to the cited sources")
        status = TERM_REJECTED
    elif any(c.code == "leads_cluster" and c.status == MET for c in role):
        first = _("Leads a cluster, the motor municipality's role; no source names it one")
        status = overall_status(criteria)
    else:
        first = _(
            "The term motor municipality does not apply: it leads no cluster and no source "
            "uses the term for it"
        )
        status = NOT_APPLICABLE
    return status, _("%(role)s; %(ksf)s") % {"role": first, "ksf": ksf}, statements


def motor_assessments(
    organisations: Iterable[Organisation] | None = None, *, today: date | None = None
) -> list[MotorAssessment]:
    """Assess every municipality that currently leads a partnership (fixed queries).

    ``organisations`` limits the assessment to those municipalities (they are
    assessed on the partnerships they lead, if any). ``today`` decides which
    agreements have expired (default: today's date).
    """
    today = today or local_today()
    leads = Membership.objects.current().filter(
        role=Role.LEAD,
        organisation__kind=OrganisationKind.MUNICIPALITY,
        partnership__in=Partnership.objects.all(),
    )
    if organisations is not None:
        leads = leads.filter(organisation__in=[o.pk for o in organisations])
    pairs = list(leads.values_list("organisation_id", "partnership_id"))
    led_by: dict[int, list[int]] = {}
    for org_id, pid in pairs:
        led_by.setdefault(org_id, []).append(pid)
    if not led_by:
        return []
    orgs = {o.pk: o for o in Organisation.objects.filter(pk__in=list(led_by)).order_by("name")}
    partnerships = {
        p.pk: p for p in rules_queryset().filter(pk__in=[pid for _o, pid in pairs]).order_by("name")
    }
    budgets: dict[int, list[ResearchBudget]] = {}
    for b in ResearchBudget.objects.filter(organisation__in=list(orgs)):
        budgets.setdefault(b.organisation_id, []).append(b)
    plans: dict[int, list[Plan]] = {}
    for plan in Plan.objects.filter(organisation__in=list(orgs)).order_by("-year", "name"):
        plans.setdefault(plan.organisation_id, []).append(plan)
    activities = _portfolio_by_organisation(leads, list(orgs))

    result = []
    for org_id, org in orgs.items():
        led = sorted(
            (partnerships[pid] for pid in led_by[org_id] if pid in partnerships),
            key=lambda p: p.name,
        )
        own_plans = plans.get(org_id, [])
        own_budgets = budgets.get(org_id, [])
        criteria = [
            _ambition_experience(activities.get(org_id, {}), led, own_plans, own_budgets),
            _budget_criterion(own_budgets),
            _plan_criterion(own_plans, led, today),
        ]
        role = [_leads_cluster(org, led), _runs_for_all(led), _initiative(org, led)]
        status, verdict, statements = _headline(org, led, role, criteria)
        result.append(
            MotorAssessment(
                organisation=org,
                partnerships=led,
                role=role,
                criteria=criteria,
                status=status,
                verdict=verdict,
                ksf_status=overall_status(criteria),
                statements=statements,
            )
        )
    return result


def motor_assessment(
    organisation: Organisation | None, *, today: date | None = None
) -> MotorAssessment | None:
    """The assessment of one municipality, or None when it leads no partnership."""
    if organisation is None:
        return None
    found = motor_assessments([organisation], today=today)
    return found[0] if found else None


def clusters_without_lead() -> list[Partnership]:
    """Clusters with no current lead municipality (one query), e.g. a cluster
    led by its regional council; ``lead_note`` says who leads it."""
    return list(
        Partnership.objects.filter(kind=PartnershipKind.CLUSTER)
        .exclude(pk__in=Membership.objects.current().filter(role=Role.LEAD).values("partnership"))
        .order_by("name")
    )


# ---------------------------------------------------------------- maturity


@dataclass
class MaturitySuggestion:
    stated: str  # "" or "1.0" / "2.0" / "3.0"
    suggested: str  # "1.0" | "2.0" | "3.0" | "" when the records do not tell
    reasons: list[str]
    next_step: str
    #: One sentence: what decided the level shown.
    decided_by: str = ""

    @property
    def differs(self) -> bool:
        return bool(self.stated and self.suggested and self.stated != self.suggested)

    @property
    def level(self) -> str:
        """The level to show: the stated one wins over the suggestion."""
        return self.stated or self.suggested


def _top_on_both_sides(partnership: Partnership) -> bool:
    present = [a for a in partnership.anchorings.all() if not a.absent]
    municipal = any(
        anchoring_side(a) == "municipal" and a.level in MUNICIPAL_TOP_LEVELS for a in present
    )
    academic = any(
        anchoring_side(a) == "academic" and a.level in ACADEMIC_TOP_LEVELS for a in present
    )
    return municipal and academic


def _campus_reason(campus: list[Membership], campus_known: bool) -> str:
    """The reason about a campus inside a member municipality (one, none, or unknown)."""
    if campus:
        return _("A campus lies inside %(names)s.") % {
            "names": ", ".join(str(m.organisation) for m in campus)
        }
    if campus_known:
        return _("No campus is recorded inside a member municipality.")
    return _("Whether a campus lies inside a member municipality is not recorded.")


def _bodies_reason(bodies: list[Body]) -> str:
    """The reason about the bodies that organise the collaboration."""
    if bodies:
        return ngettext(
            "%(n)s body organises the collaboration (%(names)s).",
            "%(n)s bodies organise the collaboration (%(names)s).",
            len(bodies),
        ) % {"n": len(bodies), "names": ", ".join(b.name for b in bodies)}
    return _("No steering group or other body is recorded.")


def _coordinator_reason(fte: Decimal | None) -> str:
    """The reason about coordinator capacity."""
    if fte:
        return _("Coordinator capacity: %(fte)s FTE.") % {"fte": _fte(fte)}
    return _("No coordinator capacity is recorded.")


def _top_anchoring_reason(top_both: bool) -> str:
    """The reason about top anchoring on both sides."""
    if top_both:
        return _("Both sides have anchored it at the top.")
    return _("Top anchoring on both sides is not recorded.")


def _missing_for_top_level(themes: int, fte: Decimal | None, top_both: bool) -> list[str]:
    """What a 2.0 partnership still lacks for 3.0, in the order it is told."""
    missing = []
    if themes < ALL_SERVICE_AREAS_THEMES:
        missing.append(
            _("commitment across the service areas (at least %(n)s themes, now %(m)s)")
            % {"n": ALL_SERVICE_AREAS_THEMES, "m": themes}
        )
    if not fte:
        missing.append(_("cross-cutting efforts carried by coordinator capacity"))
    if not top_both:
        missing.append(_("top anchoring on both sides, so it is strategic for all parties"))
    return missing


def _maturity_decided_by(stated: str, suggested: str, why: str) -> str:
    """One sentence saying what decided the level shown: the sources or the records."""
    if stated:
        decided_by = _(
            "Stated by the sources: %(level)s. A stated level wins over the suggestion."
        ) % {"level": stated}
        if suggested and suggested != stated:
            decided_by += " " + _("The records alone suggest %(level)s.") % {"level": suggested}
        return decided_by
    if suggested:
        return _("Suggested from the records: %(level)s (%(why)s).") % {
            "level": suggested,
            "why": why,
        }
    return _("No level is stated, and the records are too few to suggest one.")


def suggest_maturity(partnership: Partnership) -> MaturitySuggestion:
    """Suggest the universitetskommune level from the records, with the reasons.

    1.0: a campus of an academic partner inside a member municipality
    (``Membership.hosts_campus``). 2.0: organised collaboration (bodies
    recorded) in some fields (themes) — where the compilation finds most of its
    cases in practice. 3.0: commitment across the service areas that is
    strategic for all parties: bodies, coordinator capacity, at least
    ``ALL_SERVICE_AREAS_THEMES`` themes, and top anchoring on both sides. A
    stated level wins over the suggestion.
    """
    members = _current_members(partnership)
    campus = [m for m in members if m.hosts_campus]
    campus_known = any(m.hosts_campus is not None for m in members)
    bodies = list(partnership.bodies.all())
    themes = len(partnership.themes.all())
    fte = partnership.coordinator_fte
    top_both = _top_on_both_sides(partnership)
    reasons = [
        _campus_reason(campus, campus_known),
        _bodies_reason(bodies),
        ngettext(
            "%(n)s theme (service area) is recorded.",
            "%(n)s themes (service areas) are recorded.",
            themes,
        )
        % {"n": themes},
        _coordinator_reason(fte),
        _top_anchoring_reason(top_both),
    ]

    if bodies and fte and themes >= ALL_SERVICE_AREAS_THEMES and top_both:
        suggested = "3.0"
        why = _(
            "bodies, coordinator capacity, %(n)s themes and top anchoring on both sides: "
            "a commitment across the service areas, strategic for all parties"
        ) % {"n": themes}
        next_step = _(
            "This is the highest level: keep the commitment across the service areas "
            "and the coordinating function."
        )
    elif bodies and themes:
        suggested = "2.0"
        why = ngettext(
            "bodies organise the collaboration in %(n)s field",
            "bodies organise the collaboration in %(n)s fields",
            themes,
        ) % {"n": themes}
        next_step = _("To reach 3.0: %(what)s.") % {
            "what": "; ".join(_missing_for_top_level(themes, fte, top_both))
        }
    elif campus:
        suggested = "1.0"
        why = _("a campus inside a member municipality, but no bodies or themes")
        next_step = _(
            "To reach 2.0: organise the collaboration in bodies (a steering group, "
            "professional groups) and name the fields it covers."
        )
    else:
        suggested = ""
        why = ""
        next_step = _(
            "Record bodies, themes and whether a campus lies inside a member "
            "municipality, so a level can be suggested."
        )
    if suggested == "2.0" and themes > FEW_FIELDS_THEMES:
        reasons.append(
            _("It works in more than a few fields, but not yet across the service areas.")
        )

    stated = partnership.maturity or ""
    decided_by = _maturity_decided_by(stated, suggested, why)
    return MaturitySuggestion(stated, suggested, reasons, next_step, decided_by)


def partnership_insights(partnership: Partnership, *, today: date | None = None) -> dict[str, Any]:
    """Everything the partnership page shows from the rules.

    ``lead_note`` says who leads a partnership without a lead municipality
    (a cluster led by its regional council).
    """
    lead = next(
        (m.organisation for m in _current_members(partnership) if m.role == Role.LEAD), None
    )
    return {
        "gaps": anchoring_gaps(partnership, today=today),
        "maturity": suggest_maturity(partnership),
        "motor": motor_assessment(lead, today=today),
        "lead_note": "" if lead else partnership.lead_note,
    }
