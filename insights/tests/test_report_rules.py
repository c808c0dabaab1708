"""The report carries the gap, motor and maturity rules, and works without them."""

from __future__ import annotations

import pytest

from insights import report as report_module
from insights.report import build_report
from partnerships.models import Membership, Partnership

pytestmark = pytest.mark.django_db

rules = pytest.importorskip("insights.rules", reason="insights.rules is not installed yet")


def test_every_partnerships_gaps_are_listed():
    data = build_report().chapter("anchoring").data
    expected = sum(
        len(rules.anchoring_gaps(p, today=build_report().generated))
        for p in Partnership.objects.all()
    )
    assert data["gap_count"] == len(data["gaps"]) == expected


def test_every_lead_municipality_in_scope_is_assessed(partnership):
    leads = set(
        Membership.objects.filter(
            role="lead", valid_to=None, partnership__in=Partnership.objects.all()
        ).values_list("organisation", flat=True)
    )
    data = build_report().chapter("motor").data
    assert {a.organisation.pk for a in data["assessments"]} == leads
    one = build_report(partnership=partnership.slug).chapter("motor").data
    assert [a.organisation.pk for a in one["assessments"]] == [partnership.lead.pk]


def test_each_profile_has_a_maturity_suggestion():
    rows = build_report().chapter("profiles").data["rows"]
    assert len(rows) == Partnership.objects.count()
    assert all(r["maturity"] is not None for r in rows)


def test_without_the_rules_the_report_says_the_analysis_is_not_available(client, monkeypatch):
    monkeypatch.setattr(report_module, "load_rules", lambda: None)
    report = build_report()
    assert report.chapter("anchoring").data["gaps"] == []
    assert report.chapter("motor").data["assessments"] == []
    client.cookies["django_language"] = "en"
    html = client.get("/report/").content.decode()
    assert "Gap analysis is not available" in html
    assert "assessment is not available" in html
