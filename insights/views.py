"""The front page (national overview), the national gap list and the motor municipalities."""

from __future__ import annotations

from datetime import date

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from organisations.models import Organisation
from organisations.refdata import has_refdata
from partnerships.choices import PartnershipKind
from partnerships.models import Membership

from . import charts, maps, rules
from .overview import national_overview


def overview(request: HttpRequest) -> HttpResponse:
    data = national_overview()
    return render(
        request,
        "insights/overview.html",
        {
            "overview": data,
            "kind_chart": charts.bar_chart_for(data["by_kind"], "kind"),
            "initiative_chart": charts.bar_chart_for(data["by_initiative"], "initiative"),
            "maturity_chart": charts.bar_chart_for(data["by_maturity"], "maturity"),
            "timeline_chart": charts.timeline_chart(data["timeline"]),
            "map": maps.national_map() if has_refdata() else None,
        },
    )


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
        partnerships = partnerships.filter(
            pk__in=Membership.objects.current()
            .filter(organisation__parent__county_number=filters["county"])
            .values("partnership")
        )
    partnerships = rules.attach_unowned_counts(list(partnerships))
    today = date.today()
    rows = []
    for p in partnerships:
        found = [
            g
            for g in rules.anchoring_gaps(p, today=today)
            if (not filters.get("severity") or g.severity == filters["severity"])
            and (not filters.get("code") or g.code == filters["code"])
        ]
        if found:
            rows.append({"partnership": p, "gaps": found})
    return render(
        request,
        "insights/gaps.html",
        {
            "form": form,
            "rows": rows,
            "gap_count": sum(len(r["gaps"]) for r in rows),
            "checked": len(partnerships),
            "severity_labels": rules.severity_labels(),
            "filtered_by": any(filters.values()),
        },
    )


def motor_municipalities(request: HttpRequest) -> HttpResponse:
    """Every municipality that leads a partnership, against the role and the KSF criteria,
    and the clusters that no municipality leads."""
    return render(
        request,
        "insights/motor_municipalities.html",
        {
            "assessments": rules.motor_assessments(),
            "leaderless": rules.clusters_without_lead(),
            "status_labels": rules.status_labels(),
        },
    )


def concepts(request: HttpRequest) -> HttpResponse:
    """The terms the site uses, defined, with their sources (anchors per term)."""
    return render(request, "insights/concepts.html", {})


def about_compilation(request: HttpRequest) -> HttpResponse:
    """Who made the KS compilation, what it counted, and how unikom's counts relate."""
    return render(request, "insights/about_compilation.html", {})
