"""The national experience compilation, generated from the registry.

``build_report()`` returns the compilation's chapters as plain data; the web
page (``insights.report_views``) and ``unikom report`` render the same data
with the same templates. Every figure is counted from the database here,
never typed, and the number of queries does not grow with the data.

A report covers the whole country, one county (the partnerships with a
current member municipality in it, or the county itself as a member) or one
partnership.
"""

from __future__ import annotations

import datetime
import importlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from activities.choices import ActivityType
from activities.portfolio import counts_by_type, counts_for_partnerships, visible_activities
from core.dates import local_today
from organisations.choices import KNOWLEDGE_KINDS, OrganisationKind
from organisations.models import Organisation
from organisations.refdata import has_refdata
from partnerships.choices import (
    ACADEMIC_LEVELS,
    ACADEMIC_TOP_LEVELS,
    MUNICIPAL_LEVELS,
    MUNICIPAL_TOP_LEVELS,
    AnchoringLevel,
    Initiative,
    InitiativeGroup,
    Maturity,
    PartnershipKind,
    ResultType,
    count_with_unit,
)
from partnerships.models import Partnership
from partnerships.profile import Profile, profile_queryset

from . import charts, findings
from .compilation import COMPILATION, FACTS_YEAR
from .overview import timeline

#: The chapters in the compilation's order: (key, English title for gettext).
CHAPTER_KEYS = [
    "findings",
    "participants",
    "anchoring",
    "initiative",
    "motor",
    "timeline",
    "themes",
    "results",
    "profiles",
]


class ReportScopeError(LookupError):
    """The county or partnership asked for does not exist."""


@dataclass
class Chapter:
    key: str
    title: str
    data: dict[str, Any]

    @property
    def template(self) -> str:
        return f"insights/report/_{self.key}.html"


@dataclass
class Report:
    #: "national", "county" or "partnership"
    scope: str
    #: the county or partnership narrowed to, else None
    subject: Any
    title: str
    generated: datetime.date
    partnership_count: int
    chapters: list[Chapter] = field(default_factory=list)
    #: whether the chapters on gaps and motor assessments use insights.rules
    rules_available: bool = False
    #: as of when the facts hold (insights.findings.vintage)
    vintage: dict[str, Any] = field(default_factory=dict)

    def chapter(self, key: str) -> Chapter:
        return next(c for c in self.chapters if c.key == key)


def chapter_titles() -> dict[str, str]:
    return {
        "findings": _("What the compilation found, counted from the registry"),
        "participants": _("Who takes part, and how big the partnerships are"),
        "anchoring": _("Anchoring"),
        "initiative": _("Who took the initiative"),
        "motor": _("Motor municipalities"),
        "timeline": _("How long the partnerships have existed"),
        "themes": _("What they collaborate on"),
        "results": _("Results"),
        "profiles": _("The partnerships, one by one"),
    }


def load_rules():
    """``insights.rules`` when it is installed, else None (the chapters say so)."""
    try:
        return importlib.import_module("insights.rules")
    except ModuleNotFoundError as exc:
        if exc.name != "insights.rules":
            raise  # a broken rules module must not pass for a missing one
        return None


def resolve_scope(*, partnership: str | None = None, county: str | None = None):
    """(scope, subject) for the slugs given; ReportScopeError for unknown slugs."""
    if partnership and county:
        raise ReportScopeError(_("Give either a partnership or a county, not both."))
    if partnership:
        subject = Partnership.objects.filter(slug=partnership).first()
        if subject is None:
            raise ReportScopeError(_("No partnership has the slug “%s”.") % partnership)
        return "partnership", subject
    if county:
        subject = Organisation.objects.filter(kind=OrganisationKind.COUNTY, slug=county).first()
        if subject is None:
            raise ReportScopeError(_("No county has the slug “%s”.") % county)
        return "county", subject
    return "national", None


def scoped_base(scope: str, subject):
    """The partnerships in scope as a plain queryset (for the findings' queries)."""
    qs = Partnership.objects.all()
    if scope == "partnership":
        return qs.filter(pk=subject.pk)
    if scope == "county":
        return qs.in_county(subject)
    return qs


def scoped_partnerships(scope: str, subject):
    if scope == "national":
        return profile_queryset()
    return profile_queryset().filter(pk__in=scoped_base(scope, subject).values("pk"))


def report_title(subject) -> str:
    """ "National experience compilation", or the compilation of one county or partnership."""
    if subject is not None:
        return _("Experience compilation: %s") % subject.name
    return _("National experience compilation")


def build_report(
    *,
    partnership: str | None = None,
    county: str | None = None,
    user=None,
    progress: Callable[[str], None] | None = None,
) -> Report:
    """The compilation as data; ``progress(title)`` is called after each chapter."""
    scope, subject = resolve_scope(partnership=partnership, county=county)
    partnerships = list(scoped_partnerships(scope, subject))
    profiles = [Profile(p, user=user) for p in partnerships]
    _attach_portfolio_counts(profiles, user)
    rules = load_rules()
    titles = chapter_titles()
    title = report_title(subject)
    base = scoped_base(scope, subject)
    today = local_today()
    report = Report(
        scope=scope,
        subject=subject,
        title=title,
        generated=today,
        partnership_count=len(partnerships),
        rules_available=rules is not None,
        vintage=findings.vintage(base, today=today),
    )
    builders = {
        "findings": lambda: _findings(base, today),
        "participants": lambda: _participants(profiles),
        "anchoring": lambda: _anchoring(profiles, rules, report.generated),
        "initiative": lambda: _initiative(profiles),
        "motor": lambda: _motor(profiles, rules),
        "timeline": lambda: _timeline(profiles, today),
        "themes": lambda: _themes(profiles),
        "results": lambda: _results(profiles, user),
        "profiles": lambda: _profiles(profiles, rules, today),
    }
    for key in CHAPTER_KEYS:
        report.chapters.append(Chapter(key, titles[key], builders[key]()))
        if progress:
            progress(titles[key])
    return report


def _attach_portfolio_counts(profiles: list[Profile], user) -> None:
    """Count every profile's portfolio in one query instead of one per profile."""
    if not profiles:
        return

    counts = counts_for_partnerships([p.partnership for p in profiles], user)
    for profile in profiles:
        # Profile.portfolio_counts is a cached_property: fill its cache.
        profile.__dict__["portfolio_counts"] = counts.get(profile.partnership.pk, {})


# -- chapters --------------------------------------------------------------------------


def _findings(base, today: datetime.date) -> dict[str, Any]:
    """The compilation's findings, counted over the partnerships in scope."""
    return {
        "findings": findings.compilation_findings(base, today=today),
        "compilation": COMPILATION,
    }


def _stated(profile: Profile) -> int | None:
    """The number of municipalities the sources state, when they name fewer."""
    return profile.partnership.stated_beyond_named(len(profile.municipalities))


def _participants(profiles: list[Profile]) -> dict[str, Any]:
    municipalities: dict[int, Organisation] = {}
    institutions: dict[int, Organisation] = {}
    by_kind = {k.value: 0 for k in PartnershipKind}
    by_maturity = {m.value: 0 for m in Maturity} | {"unknown": 0}
    rows = []
    incomplete = []
    for profile in profiles:
        p = profile.partnership
        by_kind[p.kind] += 1
        by_maturity[p.maturity or "unknown"] += 1
        for org in profile.municipalities:
            municipalities[org.pk] = org
        for org in profile.knowledge_institutions:
            institutions[org.pk] = org
        stated = _stated(profile)
        if stated:
            incomplete.append(
                {"partnership": p, "stated": stated, "named": len(profile.municipalities)}
            )
        rows.append(
            {
                "partnership": p,
                "kind": p.kind,
                "municipalities": len(profile.municipalities),
                "stated_municipalities": stated,
                "knowledge_institutions": len(profile.knowledge_institutions),
                "population": profile.population,
                "lead": profile.lead,
            }
        )
    populations = [o.population for o in municipalities.values() if o.population is not None]
    dates = [o.population_date for o in municipalities.values() if o.population_date]
    institution_kinds = Counter(o.kind for o in institutions.values())
    hospitals = institution_kinds[OrganisationKind.HEALTH_TRUST]
    unnamed = sum(i["stated"] - i["named"] for i in incomplete)
    return {
        "partnerships": len(profiles),
        "municipalities": len(municipalities),
        "municipalities_stated": len(municipalities) + unnamed,
        "municipalities_incomplete": incomplete,
        "knowledge_institutions": len(institutions),
        "knowledge_institutions_academic": len(institutions) - hospitals,
        "knowledge_institutions_hospitals": hospitals,
        "institutions_by_kind": [
            (str(OrganisationKind(k).label), institution_kinds[k])
            for k in KNOWLEDGE_KINDS
            if institution_kinds[k]
        ],
        "population": sum(populations) if populations else None,
        "population_known": len(populations),
        "population_date": max(dates) if dates else None,
        "by_kind": by_kind,
        "by_maturity": by_maturity,
        "kind_chart": charts.bar_chart_for(by_kind, "kind"),
        "maturity_chart": charts.bar_chart_for(by_maturity, "maturity"),
        "rows": rows,
    }


#: The anchoring matrix's column groups: each side's levels, top first, then "other".
def _level_groups() -> list[tuple[str, list]]:
    return [
        (_("Municipality"), list(MUNICIPAL_LEVELS)),
        (_("Academia"), list(ACADEMIC_LEVELS)),
        (_("Other"), [AnchoringLevel.OTHER]),
    ]


def _anchoring(profiles: list[Profile], rules, today: datetime.date) -> dict[str, Any]:
    if rules is not None and profiles:
        # one query for every partnership's activities without a strategic owner
        rules.attach_unowned_counts([p.partnership for p in profiles])
    groups = _level_groups()
    levels = [(level.value, str(level.label)) for _side, group in groups for level in group]
    per_level = Counter()
    rows = []
    gaps = []
    for profile in profiles:
        # A record stating that a party has NOT anchored it is no anchoring.
        present = {a.level for a in profile.partnership.anchorings.all() if not a.absent}
        per_level.update(present)
        rows.append(
            {
                "partnership": profile.partnership,
                "levels": [value for value, _label in levels if value in present],
                "cells": [value in present for value, _label in levels],
                "top_both_sides": bool(present & MUNICIPAL_TOP_LEVELS)
                and bool(present & ACADEMIC_TOP_LEVELS),
                "records": len(profile.partnership.anchorings.all()),
            }
        )
        if rules is not None:
            for gap in rules.anchoring_gaps(profile.partnership, today=today):
                gaps.append({"partnership": profile.partnership, "gap": gap})
    counts = [(label, per_level[value]) for value, label in levels]
    return {
        "groups": [(str(side), len(group)) for side, group in groups],
        "levels": levels,
        "rows": rows,
        "per_level": counts,
        "top_both_sides": sum(1 for r in rows if r["top_both_sides"]),
        "without_anchoring": [r["partnership"] for r in rows if not r["levels"]],
        "chart": charts.bar_chart(
            counts, _("Partnerships with anchoring at each level"), concept="anchoring"
        ),
        "rules_available": rules is not None,
        "gaps": gaps,
        "gap_count": len(gaps),
        "partnerships_with_gaps": len({g["partnership"].pk for g in gaps}),
        "severity_labels": rules.severity_labels() if rules is not None else {},
    }


def _initiative(profiles: list[Profile]) -> dict[str, Any]:
    """Academia against municipal or mutual (the compilation's finding), then in detail."""
    by_group = {g.value: 0 for g in InitiativeGroup}
    detailed = Counter()
    groups: dict[str, list] = {g.value: [] for g in InitiativeGroup}
    for profile in profiles:
        p = profile.partnership
        by_group[p.initiative_group] += 1
        if p.initiative:
            detailed[p.initiative] += 1
        groups[p.initiative_group].append(p)
    if not by_group[InitiativeGroup.UNKNOWN]:
        del by_group[InitiativeGroup.UNKNOWN]
    return {
        "by_group": by_group,
        "detailed": [
            (str(label), detailed[value]) for value, label in Initiative.choices if detailed[value]
        ],
        "groups": [
            (str(label), groups[value]) for value, label in InitiativeGroup.choices if groups[value]
        ],
        "chart": charts.bar_chart_for(by_group, "initiative"),
    }


def _motor(profiles: list[Profile], rules) -> dict[str, Any]:
    leads = []
    for profile in profiles:
        p = profile.partnership
        lead = profile.lead
        leads.append(
            {
                "partnership": p,
                "lead": lead,
                "cluster": p.kind == PartnershipKind.CLUSTER,
                "municipalities": len(profile.municipalities),
                "stated_municipalities": _stated(profile),
            }
        )
    clusters = [r for r in leads if r["cluster"]]
    assessments = []
    if rules is not None:
        lead_orgs = {r["lead"].pk: r["lead"] for r in leads if r["lead"]}
        if lead_orgs:
            assessments = rules.motor_assessments(list(lead_orgs.values()))
    status = Counter(a.status for a in assessments)
    return {
        "leads": leads,
        "with_lead": sum(1 for r in leads if r["lead"]),
        "without_lead": sum(1 for r in leads if not r["lead"]),
        "clusters": len(clusters),
        "clusters_with_lead": sum(1 for r in clusters if r["lead"]),
        "rules_available": rules is not None,
        "assessments": assessments,
        "assessment_status": [
            (label, status[code]) for code, label in rules.status_labels().items()
        ]
        if rules is not None
        else [],
        "status_labels": rules.status_labels() if rules is not None else {},
    }


def _result_rows(profile: Profile) -> list[dict[str, Any]]:
    """The profile's results type by type, the reported counts each with its unit."""
    rows = []
    for row in profile.results:
        figures = [
            count_with_unit(r.unit, r.count, r.unit_note)
            for r in row.reported
            if r.count is not None
        ]
        rows.append(
            {
                "label": row.label,
                "counted": row.counted,
                "reported": len(row.reported),
                "figures": figures,
            }
        )
    return rows


def _profiles(profiles: list[Profile], rules, today: datetime.date) -> dict[str, Any]:
    rows = []
    for profile in profiles:
        p = profile.partnership
        maturity = rules.suggest_maturity(p) if rules is not None else None
        rows.append(
            {
                "profile": profile,
                "maturity": maturity,
                "status": p.status_summary(today),
                "stated_municipalities": _stated(profile),
                "roots_age": findings.age_text(p.roots, today),
                "results": _result_rows(profile),
            }
        )
    return {"profiles": profiles, "rows": rows}


def _timeline(profiles: list[Profile], today: datetime.date) -> dict[str, Any]:
    """Roots and formal agreements as the sources give them; ages as ranges for periods."""
    partnerships = [p.partnership for p in profiles]
    rows = timeline(partnerships, today)
    who = {p.partnership.pk: (p.lead.name if p.lead else p.partnership.name) for p in profiles}
    dated = [p for p in partnerships if p.roots]
    agreements = [p.agreement for p in partnerships if p.agreement]
    ages = [p.roots.age(today) for p in dated]
    youngest = min(dated, key=lambda p: (-p.roots.year_to, p.name), default=None)
    least = median(a[0] for a in ages) if ages else None
    most = median(a[1] for a in ages) if ages else None
    return {
        "timeline": rows,
        "chart": charts.timeline_chart(rows),
        "earliest_roots": findings.earliest_roots((p.roots, who[p.pk]) for p in partnerships),
        "latest_roots": youngest.roots.display() if youngest else None,
        "earliest_agreement": min(a.year_from for a in agreements) if agreements else None,
        "latest_agreement": max(a.year_to for a in agreements) if agreements else None,
        "with_roots": len(dated),
        "without_roots": len(partnerships) - len(dated),
        "with_agreement": len(agreements),
        "without_agreement": len(partnerships) - len(agreements),
        "median_age": _age_span(least, most),
        "oldest_age": max(a[1] for a in ages) if ages else None,
        "oldest_age_text": findings.age_text(
            min((p.roots for p in dated), key=lambda w: w.year_from), today
        )
        if dated
        else "",
        "this_year": today.year,
        "facts_year": FACTS_YEAR,
    }


def _age_span(least, most) -> str:
    """A median age: "9 years", or "about 8–9 years" when periods make it a range."""
    if least is None:
        return ""
    if least == most:
        return ngettext("%(n)s year", "%(n)s years", round(most)) % {"n": f"{most:g}"}
    return _("about %(least)s–%(most)s years") % {"least": f"{least:g}", "most": f"{most:g}"}


def _themes(profiles: list[Profile]) -> dict[str, Any]:
    counts: Counter = Counter()
    themes = {}
    without = []
    for profile in profiles:
        ts = list(profile.partnership.themes.all())
        if not ts:
            without.append(profile.partnership)
        for t in ts:
            counts[t.pk] += 1
            themes[t.pk] = t
    ordered = sorted(themes.values(), key=lambda t: (-counts[t.pk], t.name))
    items = [(t.name, counts[t.pk]) for t in ordered]
    return {
        "themes": [{"theme": t, "count": counts[t.pk]} for t in ordered],
        "without_themes": without,
        "chart": charts.bar_chart(items, _("Partnerships per theme")) if items else None,
    }


def _results(profiles: list[Profile], user) -> dict[str, Any]:
    """Reported results type by type, each count with its unit and never summed."""

    by_type: dict[str, list] = {}
    for profile in profiles:
        for r in profile.partnership.reported_results.all():
            by_type.setdefault(r.result_type, []).append((profile.partnership, r))
    reported = []
    for value, label in ResultType.choices:
        items = by_type.get(value)
        if not items:
            continue
        counted = [(p, r) for p, r in items if r.count is not None]
        reported.append(
            {
                "type": value,
                "label": str(label),
                "records": len(items),
                "partnerships": len({p.pk for p, _r in items}),
                "figures": [
                    {
                        "partnership": p,
                        "unit": r.unit,
                        "count": r.count,
                        "text": count_with_unit(r.unit, r.count),
                        "unit_note": r.unit_note,
                        "year": r.year,
                    }
                    for p, r in sorted(counted, key=lambda pr: (pr[1].unit, -pr[1].count))
                ],
                "without_count": len(items) - len(counted),
            }
        )
    if profiles:
        ids = [p.partnership.pk for p in profiles]
        portfolio = counts_by_type(visible_activities(user).in_portfolios(ids))
    else:
        portfolio = {}
    counted = [
        (str(label), portfolio[value])
        for value, label in ActivityType.choices
        if portfolio.get(value)
    ]
    return {
        "reported": reported,
        "reported_total": sum(r["records"] for r in reported),
        "partnerships_reporting": len({p.pk for items in by_type.values() for p, _r in items}),
        "portfolio": counted,
        "portfolio_total": sum(portfolio.values()),
        "chart": charts.bar_chart(counted, _("Activities in the portfolio by type"))
        if counted
        else None,
    }


def report_map(report: Report) -> dict[str, Any] | None:
    """The national map with only the report's member municipalities marked.

    None when reference data (boundaries) is not loaded.
    """
    from .maps import national_map

    if not has_refdata():
        return None
    data = national_map()
    if report.scope != "national":
        in_scope = {p.partnership.pk for p in report.chapter("profiles").data["profiles"]}
        data["municipalities"] = [
            m for m in data["municipalities"] if any(p.pk in in_scope for p in m["partnerships"])
        ]
    return data
