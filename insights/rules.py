"""The rules behind the derived analyses: anchoring gaps, motor municipalities, maturity.

Plain functions over the records, no requests. Each answers from what is
recorded; where the records do not tell, the answer is "unknown" (or no
suggestion), never a guess. The rules in plain words: docs/insights.md.

For many partnerships at once, pass partnerships from :func:`rules_queryset`
(and annotate them with :func:`attach_unowned_counts`): the functions then use
the prefetched rows and run no queries of their own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _

from organisations.choices import KNOWLEDGE_KINDS, OrganisationKind
from organisations.models import Organisation
from partnerships.choices import AnchoringLevel, BodyKind, PartnershipKind, Role
from partnerships.models import (
    Anchoring,
    Membership,
    Partnership,
    Plan,
    ResearchBudget,
)

HIGH, MEDIUM, LOW = "high", "medium", "low"
SEVERITIES = [HIGH, MEDIUM, LOW]
MET, NOT_MET, UNKNOWN = "met", "not_met", "unknown"

#: Levels that belong to the municipal side and to the academic side.
MUNICIPAL_TOP = {AnchoringLevel.POLITICAL, AnchoringLevel.ADMINISTRATIVE_TOP}
ACADEMIC_LEVELS = {AnchoringLevel.RECTORATE, AnchoringLevel.FACULTY, AnchoringLevel.INSTITUTE}
#: Bodies that bring the collaboration down to the services.
SERVICE_BODIES = {BodyKind.PROFESSIONAL_GROUP, BodyKind.WORKING_GROUP}
#: Bodies that count as a coordinating function run for all partners.
COORDINATING_BODIES = {BodyKind.SECRETARIAT}
#: Words in a party description that make it cover all member municipalities.
ALL_MUNICIPALITIES_WORDS = ("kommune", "municipal")

#: Themes from which a partnership counts as working across the service areas.
ALL_SERVICE_AREAS_THEMES = 5
#: At most this many themes count as "a few fields".
FEW_FIELDS_THEMES = 3


# ---------------------------------------------------------------- gaps


@dataclass
class Gap:
    """Something missing in a partnership's anchoring, and what would close it."""

    code: str
    severity: str  # "high" | "medium" | "low"
    title: str
    explanation: str
    remedy: str
    party: str = ""


#: Gap codes in the order they are checked, for filters and docs.
GAP_CODES = [
    "no_anchoring",
    "top_without_service_level",
    "academic_below_rectorate",
    "agreement_expired",
    "agreement_expiring",
    "member_without_anchoring",
    "activities_without_strategic_owner",
]


def gap_code_labels() -> dict[str, str]:
    """Short translated names of the gap codes (for filters)."""
    return {
        "no_anchoring": _("No anchoring recorded"),
        "top_without_service_level": _("Top anchoring without service level"),
        "academic_below_rectorate": _("Academic side below the rectorate only"),
        "agreement_expired": _("Agreement expired"),
        "agreement_expiring": _("Agreement expires within six months"),
        "member_without_anchoring": _("Member municipality without anchoring"),
        "activities_without_strategic_owner": _("Activities without a strategic owner"),
    }


def severity_labels() -> dict[str, str]:
    return {HIGH: _("High"), MEDIUM: _("Medium"), LOW: _("Low")}


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
    )


def unowned_activity_counts(partnerships: Iterable) -> dict[int, int]:
    """``{partnership_id: activities without a strategic owner}`` (one query).

    Counts the public, live activities, as anyone may see them.
    """
    from activities.portfolio import visible_activities

    ids = [getattr(p, "pk", p) for p in partnerships]
    rows = (
        visible_activities(None)
        .filter(partnerships__in=ids, strategic_owner__isnull=True)
        .order_by()
        .values("partnerships")
        .annotate(n=Count("pk", distinct=True))
        .values_list("partnerships", "n")
    )
    return dict.fromkeys(ids, 0) | dict(rows)


def attach_unowned_counts(partnerships: list[Partnership]) -> list[Partnership]:
    """Set ``unowned_activity_count`` on each partnership (one query for all)."""
    counts = unowned_activity_counts(partnerships)
    for p in partnerships:
        p.unowned_activity_count = counts.get(p.pk, 0)
    return partnerships


def _current_members(partnership: Partnership) -> list[Membership]:
    return [m for m in partnership.memberships.all() if m.valid_to is None]


def _is_academic(anchoring: Anchoring) -> bool:
    org = anchoring.organisation
    if org is not None:
        return org.kind in KNOWLEDGE_KINDS
    return anchoring.level in ACADEMIC_LEVELS


def _covers_all_municipalities(anchoring: Anchoring) -> bool:
    label = anchoring.party_label.lower()
    return anchoring.organisation_id is None and any(w in label for w in ALL_MUNICIPALITIES_WORDS)


def _agreement_replaced(agreement, agreements, year: int) -> bool:
    """Whether another agreement of the same kind runs on after ``agreement`` ends."""
    return any(
        other.pk != agreement.pk
        and other.kind == agreement.kind
        and (other.valid_to_year is None or other.valid_to_year > agreement.valid_to_year)
        and (other.valid_to_year is None or other.valid_to_year >= year)
        for other in agreements
    )


def anchoring_gaps(partnership: Partnership, *, today: date | None = None) -> list[Gap]:
    """The gaps in a partnership's anchoring, most severe first.

    ``today`` decides which agreements have expired (default: today's date).
    Uses prefetched rows where there are any (see :func:`rules_queryset`).
    """
    today = today or date.today()
    anchorings = list(partnership.anchorings.all())
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
            )
        )

    municipal = [a for a in anchorings if not _is_academic(a)]
    academic = [a for a in anchorings if _is_academic(a)]
    bodies = list(partnership.bodies.all())

    top = [a for a in municipal if a.level in MUNICIPAL_TOP]
    service = [a for a in anchorings if a.level == AnchoringLevel.SERVICE_LEVEL]
    service_bodies = [b for b in bodies if b.kind in SERVICE_BODIES]
    if top and not service and not service_bodies:
        gaps.append(
            Gap(
                "top_without_service_level",
                MEDIUM,
                _("Anchored at the top, not in the services"),
                _(
                    "The municipality has anchored the partnership at political or "
                    "administrative top level, but no anchoring at service level and no "
                    "professional or working group is recorded."
                ),
                _(
                    "Set up a professional group or working group with people from the "
                    "services, or record where the services have anchored the partnership."
                ),
            )
        )

    academic_levels = {a.level for a in academic}
    if academic and AnchoringLevel.RECTORATE not in academic_levels:
        parties = sorted({a.party for a in academic})
        gaps.append(
            Gap(
                "academic_below_rectorate",
                MEDIUM,
                _("Academic side anchored below the rectorate only"),
                _(
                    "The academic partner has anchored the partnership at faculty or "
                    "institute level only; the institution's top management is not "
                    "recorded as committed."
                ),
                _(
                    "Have the rectorate sign the agreement or take a seat in the steering "
                    "group, and record it."
                ),
                party=", ".join(parties),
            )
        )

    agreements = list(partnership.agreements.all())
    for ag in agreements:
        if ag.valid_to_year is None or _agreement_replaced(ag, agreements, today.year):
            continue
        if ag.valid_to_year < today.year:
            gaps.append(
                Gap(
                    "agreement_expired",
                    HIGH,
                    _("Agreement expired: %(title)s") % {"title": ag.title},
                    _(
                        "The agreement ran until %(year)s and no later agreement of the "
                        "same kind is recorded."
                    )
                    % {"year": ag.valid_to_year},
                    _("Renew the agreement, or record the agreement that replaced it."),
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
                )
            )

    members = [
        m
        for m in _current_members(partnership)
        if m.role in (Role.LEAD, Role.MEMBER_MUNICIPALITY)
        and m.organisation.kind == OrganisationKind.MUNICIPALITY
    ]
    anchored = {a.organisation_id for a in anchorings if a.organisation_id}
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
                _(
                    "%(n)s activities in the portfolio have no strategic owner: no management "
                    "level has committed to them."
                )
                % {"n": unowned},
                _(
                    "Name the management level that owns each activity strategically, "
                    "beside its professional owner."
                ),
            )
        )

    return sorted(gaps, key=lambda g: SEVERITIES.index(g.severity))


# ----------------------------------------------------- motor municipalities


@dataclass
class EvidenceItem:
    """A record that decides a criterion: a short text and its address, if any."""

    text: str
    url: str = ""


@dataclass
class Criterion:
    code: str
    title: str
    status: str  # "met" | "not_met" | "unknown"
    evidence: list[EvidenceItem] = field(default_factory=list)


@dataclass
class MotorAssessment:
    organisation: Organisation
    partnerships: list[Partnership]
    role: list[Criterion]
    criteria: list[Criterion]
    status: str

    @property
    def anchor(self) -> str:
        return f"org-{self.organisation.pk}"


def overall_status(criteria: list[Criterion]) -> str:
    """Met when all are met; not met when any is not met; otherwise unknown."""
    statuses = [c.status for c in criteria]
    if statuses and all(s == MET for s in statuses):
        return MET
    if NOT_MET in statuses:
        return NOT_MET
    return UNKNOWN


def status_labels() -> dict[str, str]:
    return {MET: _("Met"), NOT_MET: _("Not met"), UNKNOWN: _("Unknown")}


def _partnership_evidence(p: Partnership, text: str) -> EvidenceItem:
    return EvidenceItem(f"{p.name}: {text}", p.get_absolute_url())


def _role_criteria(led: list[Partnership]) -> list[Criterion]:
    # Leads a cluster of municipalities.
    cluster_ev = []
    for p in led:
        municipalities = [
            m for m in _current_members(p) if m.organisation.kind == OrganisationKind.MUNICIPALITY
        ]
        if p.kind == PartnershipKind.CLUSTER or len(municipalities) >= 2:
            cluster_ev.append(
                _partnership_evidence(
                    p, _("leads %(n)s municipalities") % {"n": len(municipalities)}
                )
            )
    leads = Criterion(
        "leads_cluster",
        _("Leads a cluster of municipalities"),
        MET if cluster_ev else NOT_MET,
        cluster_ev
        or [_partnership_evidence(p, _("leads it alone or with one partner")) for p in led],
    )

    # Runs it for all partners: a coordinating function or coordinator capacity.
    run_ev, zero_ev = [], []
    for p in led:
        secretariats = [b for b in p.bodies.all() if b.kind in COORDINATING_BODIES]
        for b in secretariats:
            run_ev.append(_partnership_evidence(p, str(b.name)))
        if p.coordinator_fte:
            run_ev.append(
                _partnership_evidence(
                    p, _("coordinator capacity %(fte)s FTE") % {"fte": p.coordinator_fte}
                )
            )
        elif p.coordinator_fte is not None and not secretariats:
            zero_ev.append(_partnership_evidence(p, _("no coordinator capacity")))
    if run_ev:
        runs = Criterion("runs_for_all", _("Runs it for all partners"), MET, run_ev)
    elif zero_ev and len(zero_ev) == len(led):
        runs = Criterion("runs_for_all", _("Runs it for all partners"), NOT_MET, zero_ev)
    else:
        runs = Criterion("runs_for_all", _("Runs it for all partners"), UNKNOWN, [])

    # Takes the initiative towards academia.
    took = [p for p in led if p.initiative.startswith("municipality")]
    other = [p for p in led if p.initiative and not p.initiative.startswith("municipality")]
    title = _("Takes the initiative towards academia")
    if took:
        initiative = Criterion(
            "initiative",
            title,
            MET,
            [_partnership_evidence(p, p.get_initiative_display()) for p in took],
        )
    elif other and len(other) == len(led):
        initiative = Criterion(
            "initiative",
            title,
            NOT_MET,
            [_partnership_evidence(p, p.get_initiative_display()) for p in other],
        )
    else:
        initiative = Criterion("initiative", title, UNKNOWN, [])
    return [leads, runs, initiative]


def _portfolio_criterion(activities: dict[int, str], led: list[Partnership]) -> Criterion:
    """Ambition and experience: met from 2 types or 3 activities; unknown with none."""
    title = _("Ambition and experience in research, education and innovation")
    if not activities:
        return Criterion("ambition_experience", title, UNKNOWN, [])
    types = sorted(set(activities.values()))
    from activities.choices import ActivityType

    labels = ", ".join(str(ActivityType(t).label) for t in types)
    evidence = [
        EvidenceItem(
            _("%(n)s activities in the portfolio (%(types)s)")
            % {"n": len(activities), "types": labels}
        )
    ] + [
        EvidenceItem(
            _("Portfolio of %(name)s") % {"name": p.name},
            reverse("activities:partnership_portfolio", args=[p.slug]),
        )
        for p in led
    ]
    status = MET if len(types) >= 2 or len(activities) >= 3 else NOT_MET
    return Criterion("ambition_experience", title, status, evidence)


def _budget_criterion(budgets: list[ResearchBudget]) -> Criterion:
    """The latest recorded year decides: met with an amount above 0."""
    title = _("A share of the operating budget set aside for research")
    if not budgets:
        return Criterion("research_budget", title, UNKNOWN, [])
    latest = max(budgets, key=lambda b: b.year)
    share = latest.share
    text = _("%(year)s: NOK %(amount)s of NOK %(budget)s") % {
        "year": latest.year,
        "amount": latest.research_amount_nok,
        "budget": latest.operating_budget_nok,
    }
    if share is not None:
        text += f" ({(share * 100).quantize(Decimal('0.01'))} %)"
    status = MET if latest.research_amount_nok > 0 else NOT_MET
    return Criterion("research_budget", title, status, [EvidenceItem(text, latest.source_url)])


def _plan_criterion(plans: list[Plan]) -> Criterion:
    """Met with a politically adopted plan; not met when every plan is known not to be."""
    title = _("A politically adopted plan for research, education and innovation")
    evidence = [
        EvidenceItem(
            f"{plan.name}"
            + (f" – {plan.adopted_by}" if plan.adopted_by else "")
            + (f" ({plan.year})" if plan.year else ""),
            plan.source_url,
        )
        for plan in plans
    ]
    adopted = [plan for plan in plans if plan.politically_adopted]
    if adopted:
        return Criterion(
            "adopted_plan",
            title,
            MET,
            [e for e, plan in zip(evidence, plans, strict=True) if plan.politically_adopted],
        )
    if plans and all(plan.politically_adopted is False for plan in plans):
        return Criterion("adopted_plan", title, NOT_MET, evidence)
    return Criterion("adopted_plan", title, UNKNOWN, evidence)


def _activities_by_organisation(
    org_ids: list[int], led_by: dict[int, list[int]]
) -> dict[int, dict[int, str]]:
    """``{organisation_id: {activity_id: type}}``: activities it is involved in or
    that belong to a partnership it leads (three queries, public activities)."""
    from activities.portfolio import visible_activities

    result: dict[int, dict[int, str]] = {pk: {} for pk in org_ids}
    partnership_orgs: dict[int, list[int]] = {}
    for org_id, partnership_ids in led_by.items():
        for pid in partnership_ids:
            partnership_orgs.setdefault(pid, []).append(org_id)
    base = visible_activities(None).order_by()
    for pk, kind, pid in base.filter(partnerships__in=list(partnership_orgs)).values_list(
        "pk", "activity_type", "partnerships"
    ):
        for org_id in partnership_orgs.get(pid, []):
            result[org_id][pk] = kind
    for pk, kind, org_id in base.filter(organisation_roles__organisation__in=org_ids).values_list(
        "pk", "activity_type", "organisation_roles__organisation"
    ):
        result[org_id][pk] = kind
    for pk, kind, prof, strat in base.filter(
        Q(professional_owner__in=org_ids) | Q(strategic_owner__in=org_ids)
    ).values_list("pk", "activity_type", "professional_owner", "strategic_owner"):
        for org_id in (prof, strat):
            if org_id in result:
                result[org_id][pk] = kind
    return result


def motor_assessments(organisations: Iterable[Organisation] | None = None) -> list[MotorAssessment]:
    """Assess every municipality that currently leads a partnership (fixed queries).

    ``organisations`` limits the assessment to those municipalities (they are
    assessed on the partnerships they lead, if any).
    """
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
    activities = _activities_by_organisation(list(orgs), led_by)

    result = []
    for org_id, org in orgs.items():
        led = sorted(
            (partnerships[pid] for pid in led_by[org_id] if pid in partnerships),
            key=lambda p: p.name,
        )
        criteria = [
            _portfolio_criterion(activities.get(org_id, {}), led),
            _budget_criterion(budgets.get(org_id, [])),
            _plan_criterion(plans.get(org_id, [])),
        ]
        result.append(
            MotorAssessment(
                organisation=org,
                partnerships=led,
                role=_role_criteria(led),
                criteria=criteria,
                status=overall_status(criteria),
            )
        )
    return result


def motor_assessment(organisation: Organisation | None) -> MotorAssessment | None:
    """The assessment of one municipality, or None when it leads no partnership."""
    if organisation is None:
        return None
    found = motor_assessments([organisation])
    return found[0] if found else None


# ---------------------------------------------------------------- maturity


@dataclass
class MaturitySuggestion:
    stated: str  # "" or "1.0" / "2.0" / "3.0"
    suggested: str  # "1.0" | "2.0" | "3.0" | "" when the records do not tell
    reasons: list[str]
    next_step: str

    @property
    def differs(self) -> bool:
        return bool(self.stated and self.suggested and self.stated != self.suggested)


def suggest_maturity(partnership: Partnership) -> MaturitySuggestion:
    """Suggest the universitetskommune level from the records, with the reasons.

    1.0: a campus of an academic partner inside a member municipality
    (``Membership.hosts_campus``). 2.0: organised collaboration (bodies
    recorded) in some fields (themes). 3.0: bodies, coordinator capacity and
    at least ``ALL_SERVICE_AREAS_THEMES`` themes, i.e. commitment across the
    service areas with cross-cutting efforts.
    """
    members = _current_members(partnership)
    campus = [m for m in members if m.hosts_campus]
    campus_known = any(m.hosts_campus is not None for m in members)
    bodies = list(partnership.bodies.all())
    themes = len(partnership.themes.all())
    fte = partnership.coordinator_fte
    reasons: list[str] = []

    if campus:
        reasons.append(
            _("A campus lies inside %(names)s.")
            % {"names": ", ".join(str(m.organisation) for m in campus)}
        )
    elif campus_known:
        reasons.append(_("No campus is recorded inside a member municipality."))
    else:
        reasons.append(_("Whether a campus lies inside a member municipality is not recorded."))
    if bodies:
        reasons.append(
            _("%(n)s bodies organise the collaboration (%(names)s).")
            % {"n": len(bodies), "names": ", ".join(b.name for b in bodies)}
        )
    else:
        reasons.append(_("No steering group or other body is recorded."))
    reasons.append(_("%(n)s themes (service areas) are recorded.") % {"n": themes})
    if fte:
        reasons.append(_("Coordinator capacity: %(fte)s FTE.") % {"fte": fte})
    else:
        reasons.append(_("No coordinator capacity is recorded."))

    if bodies and fte and themes >= ALL_SERVICE_AREAS_THEMES:
        suggested = "3.0"
        next_step = _(
            "This is the highest level: keep the commitment across the service areas "
            "and the coordinating function."
        )
    elif bodies and themes:
        suggested = "2.0"
        missing = []
        if themes < ALL_SERVICE_AREAS_THEMES:
            missing.append(
                _("commitment across the service areas (at least %(n)s themes, now %(m)s)")
                % {"n": ALL_SERVICE_AREAS_THEMES, "m": themes}
            )
        if not fte:
            missing.append(_("cross-cutting efforts carried by coordinator capacity"))
        next_step = _("To reach 3.0: %(what)s.") % {"what": "; ".join(missing)}
    elif campus:
        suggested = "1.0"
        next_step = _(
            "To reach 2.0: organise the collaboration in bodies (a steering group, "
            "professional groups) and name the fields it covers."
        )
    else:
        suggested = ""
        next_step = _(
            "Record bodies, themes and whether a campus lies inside a member "
            "municipality, so a level can be suggested."
        )
    if suggested == "2.0" and themes > FEW_FIELDS_THEMES:
        reasons.append(
            _("It works in more than a few fields, but not yet across the service areas.")
        )
    return MaturitySuggestion(partnership.maturity or "", suggested, reasons, next_step)


def partnership_insights(partnership: Partnership, *, today: date | None = None) -> dict[str, Any]:
    """Everything the partnership page shows from the rules."""
    lead = next(
        (m.organisation for m in _current_members(partnership) if m.role == Role.LEAD), None
    )
    return {
        "gaps": anchoring_gaps(partnership, today=today),
        "maturity": suggest_maturity(partnership),
        "motor": motor_assessment(lead),
    }
