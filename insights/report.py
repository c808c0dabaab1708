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

from django.db.models import Q
from django.utils.translation import gettext as _

from organisations.choices import KNOWLEDGE_KINDS, OrganisationKind
from organisations.models import Organisation
from partnerships.choices import (
    AnchoringLevel,
    Initiative,
    InitiativeSide,
    Maturity,
    PartnershipKind,
    ResultType,
)
from partnerships.models import Partnership
from partnerships.profile import Profile, profile_queryset

from . import charts
from .overview import timeline

#: The chapters in the compilation's order: (key, English title for gettext).
CHAPTER_KEYS = [
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

    def chapter(self, key: str) -> Chapter:
        return next(c for c in self.chapters if c.key == key)


def chapter_titles() -> dict[str, str]:
    return {
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


def scoped_partnerships(scope: str, subject):
    qs = profile_queryset()
    if scope == "partnership":
        return qs.filter(pk=subject.pk)
    if scope == "county":
        ids = Partnership.objects.filter(
            Q(memberships__valid_to__isnull=True)
            & (Q(memberships__organisation__parent=subject) | Q(memberships__organisation=subject))
        ).values("pk")
        return qs.filter(pk__in=ids)
    return qs


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
    if subject is not None:
        title = _("Experience compilation: %s") % subject.name
    else:
        title = _("National experience compilation")
    report = Report(
        scope=scope,
        subject=subject,
        title=title,
        generated=datetime.date.today(),
        partnership_count=len(partnerships),
        rules_available=rules is not None,
    )
    builders = {
        "participants": lambda: _participants(profiles),
        "anchoring": lambda: _anchoring(profiles, rules, report.generated),
        "initiative": lambda: _initiative(profiles),
        "motor": lambda: _motor(profiles, rules),
        "timeline": lambda: _timeline(profiles, report.generated.year),
        "themes": lambda: _themes(profiles),
        "results": lambda: _results(profiles, user),
        "profiles": lambda: _profiles(profiles, rules),
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
    from activities.portfolio import counts_for_partnerships

    counts = counts_for_partnerships([p.partnership for p in profiles], user)
    for profile in profiles:
        # Profile.portfolio_counts is a cached_property: fill its cache.
        profile.__dict__["portfolio_counts"] = counts.get(profile.partnership.pk, {})


# -- chapters --------------------------------------------------------------------------


def _participants(profiles: list[Profile]) -> dict[str, Any]:
    municipalities: dict[int, Organisation] = {}
    institutions: dict[int, Organisation] = {}
    by_kind = {k.value: 0 for k in PartnershipKind}
    by_maturity = {m.value: 0 for m in Maturity} | {"unknown": 0}
    rows = []
    for profile in profiles:
        p = profile.partnership
        by_kind[p.kind] += 1
        by_maturity[p.maturity or "unknown"] += 1
        for org in profile.municipalities:
            municipalities[org.pk] = org
        for org in profile.knowledge_institutions:
            institutions[org.pk] = org
        rows.append(
            {
                "partnership": p,
                "kind": p.kind,
                "municipalities": len(profile.municipalities),
                "stated_municipalities": p.stated_municipality_count,
                "knowledge_institutions": len(profile.knowledge_institutions),
                "population": profile.population,
                "lead": profile.lead,
            }
        )
    populations = [o.population for o in municipalities.values() if o.population is not None]
    dates = [o.population_date for o in municipalities.values() if o.population_date]
    institution_kinds = Counter(o.kind for o in institutions.values())
    return {
        "partnerships": len(profiles),
        "municipalities": len(municipalities),
        "knowledge_institutions": len(institutions),
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


def _anchoring(profiles: list[Profile], rules, today: datetime.date) -> dict[str, Any]:
    if rules is not None and profiles:
        # one query for every partnership's activities without a strategic owner
        rules.attach_unowned_counts([p.partnership for p in profiles])
    levels = [(value, str(label)) for value, label in AnchoringLevel.choices]
    per_level = Counter()
    rows = []
    gaps = []
    for profile in profiles:
        present = profile.anchoring_levels
        per_level.update(present)
        rows.append(
            {
                "partnership": profile.partnership,
                "levels": present,
                "cells": [value in present for value, _label in levels],
                "records": len(profile.partnership.anchorings.all()),
            }
        )
        if rules is not None:
            for gap in rules.anchoring_gaps(profile.partnership, today=today):
                gaps.append({"partnership": profile.partnership, "gap": gap})
    counts = [(label, per_level[value]) for value, label in levels]
    return {
        "levels": levels,
        "rows": rows,
        "per_level": counts,
        "without_anchoring": [r["partnership"] for r in rows if not r["levels"]],
        "chart": charts.bar_chart(counts, _("Partnerships with anchoring at each level")),
        "rules_available": rules is not None,
        "gaps": gaps,
        "gap_count": len(gaps),
        "partnerships_with_gaps": len({g["partnership"].pk for g in gaps}),
        "severity_labels": rules.severity_labels() if rules is not None else {},
    }


def _initiative(profiles: list[Profile]) -> dict[str, Any]:
    by_side = {s.value: 0 for s in InitiativeSide}
    detailed = Counter()
    groups: dict[str, list] = {s.value: [] for s in InitiativeSide}
    for profile in profiles:
        p = profile.partnership
        by_side[p.initiative_side] += 1
        if p.initiative:
            detailed[p.initiative] += 1
        groups[p.initiative_side].append(p)
    return {
        "by_side": by_side,
        "detailed": [
            (str(label), detailed[value]) for value, label in Initiative.choices if detailed[value]
        ],
        "groups": [
            (str(label), groups[value]) for value, label in InitiativeSide.choices if groups[value]
        ],
        "chart": charts.bar_chart_for(by_side, "initiative"),
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


def _profiles(profiles: list[Profile], rules) -> dict[str, Any]:
    rows = []
    for profile in profiles:
        maturity = rules.suggest_maturity(profile.partnership) if rules is not None else None
        rows.append({"profile": profile, "maturity": maturity})
    return {"profiles": profiles, "rows": rows}


def _timeline(profiles: list[Profile], this_year: int) -> dict[str, Any]:
    partnerships = [p.partnership for p in profiles]
    rows = timeline(partnerships)
    ages = [this_year - p.roots_year for p in partnerships if p.roots_year]
    roots = [p.roots_year for p in partnerships if p.roots_year]
    agreements = [p.agreement_year for p in partnerships if p.agreement_year]
    return {
        "timeline": rows,
        "chart": charts.timeline_chart(rows),
        "earliest_roots": min(roots) if roots else None,
        "latest_roots": max(roots) if roots else None,
        "earliest_agreement": min(agreements) if agreements else None,
        "latest_agreement": max(agreements) if agreements else None,
        "with_roots": len(roots),
        "without_roots": len(partnerships) - len(roots),
        "with_agreement": len(agreements),
        "median_age": median(ages) if ages else None,
        "oldest_age": max(ages) if ages else None,
        "this_year": this_year,
        "rows": sorted(
            (
                {
                    "partnership": p,
                    "roots_year": p.roots_year,
                    "agreement_year": p.agreement_year,
                    "age": this_year - p.roots_year if p.roots_year else None,
                }
                for p in partnerships
            ),
            key=lambda r: (r["roots_year"] is None, r["roots_year"] or 0, r["partnership"].name),
        ),
    }


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
    from activities.choices import ActivityType
    from activities.portfolio import counts_by_type, visible_activities

    reported_records: Counter = Counter()
    reported_sums: Counter = Counter()
    reporting: dict[str, set] = {}
    for profile in profiles:
        for r in profile.partnership.reported_results.all():
            reported_records[r.result_type] += 1
            if r.count is not None:
                reported_sums[r.result_type] += r.count
            reporting.setdefault(r.result_type, set()).add(profile.partnership.pk)
    reported = [
        {
            "label": str(label),
            "records": reported_records[value],
            "sum": reported_sums.get(value),
            "partnerships": len(reporting.get(value, ())),
        }
        for value, label in ResultType.choices
        if reported_records[value]
    ]
    if profiles:
        ids = [p.partnership.pk for p in profiles]
        portfolio = counts_by_type(visible_activities(user).filter(partnerships__in=ids))
    else:
        portfolio = {}
    counted = [
        (str(label), portfolio[value])
        for value, label in ActivityType.choices
        if portfolio.get(value)
    ]
    return {
        "reported": reported,
        "reported_total": sum(reported_records.values()),
        "partnerships_reporting": len({pk for s in reporting.values() for pk in s}),
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
    from organisations.refdata import has_refdata

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
