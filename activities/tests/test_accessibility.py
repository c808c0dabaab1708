"""The portfolio pages meet the same WCAG basics as the rest of the site."""

from __future__ import annotations

import pytest

from core.tests.test_accessibility import parse

pytestmark = pytest.mark.django_db


@pytest.fixture
def urls(make_activity, person, usn):
    activity = make_activity(roles=[(usn, "partner")], people=[(person, "contact")])
    return [
        "/activities/",
        "/activities/?type=galaxy",
        "/partnerships/usn-drammen/portfolio/",
        "/organisations/3301/portfolio/",
        activity.get_absolute_url(),
        f"/activities/{activity.public_id}/history/",
        "/activities/add/",
        f"/activities/{activity.public_id}/edit/",
    ]


def test_structure_labels_and_headings(client, coordinator, urls):
    client.force_login(coordinator)
    for url in urls:
        page = parse(client, url)
        names = [t for t, _a in page.tags]
        for landmark in ("header", "nav", "main", "footer"):
            assert landmark in names, (url, landmark)
        assert page.headings.count(1) == 1, url
        for before, after in zip(page.headings, page.headings[1:], strict=False):
            assert after <= before + 1, (url, before, after)
        labelled = {a.get("for") for t, a in page.tags if t == "label"}
        for tag, attrs in page.tags:
            if tag in ("input", "select", "textarea") and attrs.get("type") not in (
                "hidden",
                "submit",
            ):
                assert attrs.get("id") in labelled or attrs.get("aria-label"), (url, attrs)
