"""The front page (national overview), the national gap list, the motor municipalities,
the concepts the site uses and the page about the KS compilation."""

from __future__ import annotations

from collections import Counter

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.cache import kept_listing
from core.dates import local_today
from organisations.models import Organisation
from organisations.refdata import has_refdata
from partnerships.choices import (
    ACADEMIC_LEVELS,
    MUNICIPAL_LEVELS,
    AnchoringLevel,
    Initiative,
    InitiativeGroup,
    InitiativeSide,
    Maturity,
    PartnershipKind,
)
from partnerships.models import Partnership

from . import charts, compilation, findings, maps, rules
from .overview import SORT_KEYS, national_overview


def sort_columns(current: str) -> dict[str, dict[str, str]]:
    """For each sortable column: the link that sorts by it, and its aria-sort state."""
    key, descending = current.lstrip("-"), current.startswith("-")
    columns = {}
    for name in SORT_KEYS:
        if name == key:
            columns[name] = {
                "url": f"?sort={name}" if descending else f"?sort=-{name}",
                "aria": "descending" if descending else "ascending",
            }
        else:
            columns[name] = {"url": f"?sort={name}", "aria": "none"}
    return columns


def overview_context(sort: str) -> dict:
    """Everything the national overview shows (about 20 grouped queries)."""
    data = national_overview(sort=sort)
    sides = data["by_initiative_side"]
    initiative_note = gettext(
        "Started by the municipality or by both: by the municipality %(municipality)s, by "
        "both %(mutual)s, the source does not say which of the two %(either)s."
    ) % {
        "municipality": sides[InitiativeSide.MUNICIPALITY],
        "mutual": sides[InitiativeSide.MUTUAL],
        "either": sides[InitiativeSide.MUNICIPALITY_OR_MUTUAL],
    }
    return {
        "overview": data,
        "findings": findings.compilation_findings(),
        "pains": findings.pains(),
        "vintage": findings.vintage(),
        "columns": sort_columns(data["sort"]),
        "kind_chart": charts.bar_chart_for(data["by_kind"], "kind"),
        "initiative_chart": charts.bar_chart_for(
            data["by_initiative"], "initiative", note=initiative_note
        ),
        "maturity_chart": charts.bar_chart_for(data["by_maturity"], "maturity"),
        "timeline_chart": charts.timeline_chart(data["timeline"]),
        "map": maps.national_map() if has_refdata() else None,
    }


def overview(request: HttpRequest) -> HttpResponse:
    """The national overview. The page is kept, rendered, until the data
    changes (core.cache): it is computed only when the kept one is out of date."""
    sort = request.GET.get("sort") or "name"
    context = kept_listing(
        "overview", request, ("page",), lambda: {"page": overview_context(sort)}, (local_today(),)
    )
    context["compilation"] = compilation.COMPILATION
    return render(request, "insights/overview.html", context)


class GapFilterForm(forms.Form):
    """The filters of the national gap list; invalid values are reported and ignored."""

    severity = forms.ChoiceField(label=_("Severity"), required=False)
    code = forms.ChoiceField(label=_("Gap"), required=False)
    county = forms.ChoiceField(label=_("County"), required=False)
    kind = forms.ChoiceField(
        label=_("Kind"),
        required=False,
        choices=[("", _("All"))] + list(PartnershipKind.choices),
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["severity"].choices = [("", _("All"))] + list(rules.severity_labels().items())
        self.fields["code"].choices = [("", _("All"))] + list(rules.gap_code_labels().items())
        self.fields["county"].choices = [("", _("All"))] + [
            (c.county_number, c.name)
            for c in Organisation.objects.counties().order_by("name")
            if c.county_number
        ]


def gaps(request: HttpRequest) -> HttpResponse:
    """Anchoring gaps across all partnerships, filterable by the query string."""
    form = GapFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_bound and form.is_valid() else {}
    partnerships = rules.rules_queryset().order_by("name")
    if filters.get("kind"):
        partnerships = partnerships.filter(kind=filters["kind"])
    if filters.get("county"):
        county = Organisation.objects.counties().filter(county_number=filters["county"])
        partnerships = partnerships.in_county(county.values("pk")[:1])
    today = local_today()

    def find() -> dict:
        checked = rules.attach_unowned_counts(list(partnerships))
        rows = []
        for p in checked:
            found = [
                g
                for g in rules.anchoring_gaps(p, today=today)
                if (not filters.get("severity") or g.severity == filters["severity"])
                and (not filters.get("code") or g.code == filters["code"])
            ]
            if found:
                rows.append({"partnership": p, "gaps": found})
        return {
            "rows": rows,
            "gap_count": sum(len(r["gaps"]) for r in rows),
            "checked": len(checked),
        }

    # Every partnership is checked only when the kept list is out of date.
    context = kept_listing("gaps", request, ("result",), lambda: {"result": find()}, (today,))
    context.update(
        form=form,
        severity_labels=rules.severity_labels(),
        filtered_by=any(filters.values()),
    )
    return render(request, "insights/gaps.html", context)


def motor_municipalities(request: HttpRequest) -> HttpResponse:
    """Every municipality that leads a partnership, against the role and the KSF criteria,
    and the clusters that no municipality leads."""
    today = local_today()

    def assess() -> dict:
        return {
            "assessments": rules.motor_assessments(today=today),
            "leaderless": rules.clusters_without_lead(),
        }

    # Assessed only when the kept page is out of date (core.cache).
    context = kept_listing(
        "motor-municipalities", request, ("assessments", "leaderless"), assess, (today,)
    )
    context["status_labels"] = rules.status_labels()
    return render(request, "insights/motor_municipalities.html", context)


def defined(choices, definitions) -> list[dict]:
    """Every choice of a choices class, with its definition (empty if none is written)."""
    return [
        {"value": value, "label": label, "definition": definitions.get(value, "")}
        for value, label in choices
    ]


def concepts(request: HttpRequest) -> HttpResponse:
    """The terms the site uses, defined, with their sources (anchors per term).

    The lists come from the choices classes, so a new kind, level or
    initiative shows up here as soon as it exists (and a test asks for its
    definition).
    """
    kind_counts = Counter(Partnership.objects.values_list("kind", flat=True))
    kinds = defined(PartnershipKind.choices, compilation.KIND_DEFINITIONS)
    for k in kinds:
        k["count"] = kind_counts[k["value"]]
    level_groups = [
        (_("Municipal side"), MUNICIPAL_LEVELS),
        (_("Academic side"), ACADEMIC_LEVELS),
        (_("Either side"), [AnchoringLevel.OTHER]),
    ]
    levels = [
        {
            "side": side,
            "levels": [
                {
                    "value": level.value,
                    "label": level.label,
                    "definition": compilation.LEVEL_DEFINITIONS.get(level, ""),
                }
                for level in group
            ],
        }
        for side, group in level_groups
    ]
    return render(
        request,
        "insights/concepts.html",
        {
            "kinds": kinds,
            "maturity_levels": defined(Maturity.choices, compilation.MATURITY_DEFINITIONS),
            "anchoring_sides": levels,
            "initiatives": defined(Initiative.choices, compilation.INITIATIVE_DEFINITIONS),
            "initiative_groups": defined(
                InitiativeGroup.choices, compilation.INITIATIVE_GROUP_DEFINITIONS
            ),
            "ksf_report": compilation.KSF_REPORT,
            "ksf_criteria": compilation.KSF_CRITERIA,
            "motor_roles": compilation.MOTOR_ROLES,
            "compilation": compilation.COMPILATION,
            "facts_year": compilation.FACTS_YEAR,
        },
    )


def about_compilation(request: HttpRequest) -> HttpResponse:
    """Who made the KS compilation, what it counted, and how unikom's counts relate."""
    return render(
        request,
        "insights/about_compilation.html",
        {
            "compilation": compilation.COMPILATION,
            "partnerships": Partnership.objects.count(),
            "own_pages": findings.partnerships_with_own_page(),
            "municipalities": findings.municipality_counts(),
            "institutions": findings.knowledge_institution_counts(),
            "vintage": findings.vintage(),
        },
    )
