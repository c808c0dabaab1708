"""The rules of an activity, whichever way it is written (core.rules): by its form,
by the API (through the form) and by the importer (imports.kinds)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from core.rules import Rule

from .choices import ActivityType

#: The id in a project's address, pasted instead of the id (form and importer).
CRISTIN_ADDRESS = re.compile(r"cristin\.no/.*[?&]id=([0-9]+)", re.IGNORECASE)
NFR_ADDRESS = re.compile(r"forskningsradet\.no/.*/([0-9]+)/?$", re.IGNORECASE)
SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f]")

OWNERS = ("professional_owner", "strategic_owner")


def external_id(value: str, address: re.Pattern) -> str:
    """An external id as written: digits with any spaces taken out, or the id in a
    pasted address. The model's validators then check that it is digits."""
    value = SPACES.sub("", value or "")
    match = address.search(value)
    return match.group(1) if match else value


def dates_in_order(start, end) -> str | None:
    if start and end and end < start:
        return _("The activity cannot end before it starts.")
    return None


def thesis_level(activity_type, level) -> str | None:
    """A student thesis has a level (bachelor or master); nothing else has one."""
    if activity_type == ActivityType.STUDENT_THESIS and not level:
        return _("Choose bachelor or master for a student thesis.")
    if activity_type and activity_type != ActivityType.STUDENT_THESIS and level:
        return _("Only a student thesis has a level.")
    return None


def owner_for_level(owner, level) -> str | None:
    """An anchoring level is the level of an owner: no level without the owner."""
    if level and not owner:
        return _("Choose the organisation at this level, too.")
    return None


def scope(partnerships, organisations) -> str | None:
    """Nobody could find or edit an activity tied to no one: it has a partnership, an
    owner or an organisation in a role (``organisations`` holds owners and roles)."""
    if not partnerships and not organisations:
        return _("Choose a partnership, an owner or an organisation in a role.")
    return None


RULES = (
    Rule("end_date", ("start_date", "end_date"), dates_in_order),
    Rule("thesis_level", ("activity_type", "thesis_level"), thesis_level),
    *(Rule(owner, (owner, f"{owner}_level"), owner_for_level) for owner in OWNERS),
)
