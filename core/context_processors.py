"""Template context shared by every page."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

#: The main navigation, in reading order: (URL name, label).
NAVIGATION = [
    ("insights:overview", _("Overview")),
    ("partnerships:list", _("Partnerships")),
    ("organisations:list", _("Organisations")),
    ("organisations:person_list", _("People")),
    ("activities:list", _("Activities")),
    ("needs:list", _("Needs")),
    ("events:list", _("Meeting places")),
    ("insights:gaps", _("Gaps")),
    ("insights:motor_municipalities", _("Motor municipalities")),
    ("report:report", _("Report")),
    ("partnerships:compare", _("Compare")),
    ("network:network", _("Network")),
    ("opendata:index", _("Open data")),
]


def navigation(request) -> dict:
    items = []
    for name, label in NAVIGATION:
        try:
            url = reverse(name)
        except NoReverseMatch:  # an app switched off
            continue
        items.append({"url": url, "label": label, "current": request.path == url})
    return {"navigation": items}
