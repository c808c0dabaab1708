"""Template context shared by every page."""

from __future__ import annotations

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.translation import gettext_lazy as _

from core.permissions import roles

#: The main navigation, in groups a reader recognises: (key, label, [(URL name, label, anchor)]).
#: Each group is a disclosure menu (<details>) in templates/base.html.
NAVIGATION = [
    (
        "registry",
        _("Registry"),
        [
            ("partnerships:list", _("Partnerships"), ""),
            ("organisations:list", _("Organisations"), ""),
            ("organisations:person_list", _("People"), ""),
            ("activities:list", _("Activities"), ""),
            ("needs:list", _("Needs"), ""),
            ("events:list", _("Meeting places"), ""),
            ("insights:overview", _("Map"), "#map-heading"),
        ],
    ),
    (
        "insights",
        _("Insights"),
        [
            ("insights:overview", _("Overview"), ""),
            ("insights:gaps", _("Gaps"), ""),
            ("insights:motor_municipalities", _("Motor municipalities"), ""),
            ("report:report", _("Report"), ""),
            ("partnerships:compare", _("Compare"), ""),
            ("network:network", _("Network"), ""),
        ],
    ),
    (
        "open-data",
        _("Open data"),
        [
            ("opendata:index", _("Open data"), ""),
            ("api:docs", _("API"), ""),
        ],
    ),
]

#: The signed-in reader's own group, after their partnerships (see ``navigation``).
MY_WORK = [("accounts:me", _("My roles"), "")]
#: ... and for those who may edit something.
EDITOR_WORK = [
    ("imports:upload", _("Import"), ""),
    ("imports:history", _("Your imports"), ""),
]
#: ... and last, for every signed-in reader.
TRASH = [("core:trash", _("Trash"), "")]


@functools.cache
def _address(name: str, urlconf: str | None, script_prefix: str) -> str | None:
    """The address of a page without arguments, or None when its app is switched
    off; the same on every request (reversing the menu's fifteen names took a
    tenth of a kept activity page's time). The URL configuration and the script
    prefix, which reverse() reads, are part of the cache's key."""
    try:
        return reverse(name, urlconf=urlconf)
    except NoReverseMatch:
        return None


@receiver(setting_changed)
def _forget_addresses(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _address.cache_clear()


def _items(entries, path: str) -> list[dict]:
    items = []
    urlconf, script_prefix = get_urlconf(), get_script_prefix()
    for name, label, anchor in entries:
        url = _address(name, urlconf, script_prefix)
        if url is None:  # an app switched off
            continue
        items.append({"url": url + anchor, "label": label, "current": not anchor and path == url})
    return items


def _group(key: str, label, items: list[dict]) -> dict:
    return {
        "key": key,
        "label": label,
        "items": items,
        "current": any(item["current"] for item in items),
    }


def navigation(request) -> dict:
    """The grouped navigation, and for a signed-in reader a group of their own.

    A coordinator's partnerships come from the role assignments read once per request
    (``core.permissions.roles``, one query that also fetches their names), so the
    navigation costs no query of its own and the same whatever the roles.
    """
    path = request.path
    groups = [_group(key, label, _items(entries, path)) for key, label, entries in NAVIGATION]
    groups = [g for g in groups if g["items"]]
    own: list[dict] = []
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        user_roles = roles(user)
        for slug, name in user_roles.coordinated:
            url = reverse("partnerships:detail", args=[slug])
            own.append({"url": url, "label": name, "current": path == url})
        mine = own + _items(MY_WORK, path)
        if user_roles.editor:
            mine += _items(EDITOR_WORK, path)
        mine += _items(TRASH, path)
        groups.append(_group("my-work", _("My work"), mine))
    return {
        "navigation": groups,
        # A coordinator of exactly one partnership gets it one click away, beside the menus.
        "own_partnership": own[0] if len(own) == 1 else None,
    }
