"""Records for the search tests, made through the ORM (signals keep the index current)."""

from __future__ import annotations

from activities.models import Activity
from needs.models import Need


def activity(title: str, summary: str = "", **values) -> Activity:
    values.setdefault("activity_type", "research_project")
    values.setdefault("status", "ongoing")
    return Activity.objects.create(title=title, summary=summary, **values)


def need(title: str, description: str = "", **values) -> Need:
    from organisations.models import Organisation

    values.setdefault("suited_for", ["knowledge_summary"])
    values.setdefault("organisation", Organisation.objects.get(municipality_number="4601"))
    return Need.objects.create(title=title, description=description, **values)
