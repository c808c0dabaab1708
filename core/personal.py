"""The hooks through which every app answers for the personal data it keeps.

``privacy`` shows a user everything unikom holds about them and erases it on
request; the apps that keep something about an account (its second factor, its
sign-in provider logins, its invitations and requests) answer through these two
signals, connected in their ``AppConfig.ready``, so that ``privacy`` need not
know them and no app is forgotten:

- ``collect`` (keyword ``user``): return a :class:`Section`, or None when the app
  holds nothing about the user;
- ``erase`` (keywords ``user``, ``old_username``, ``old_email``): sent inside the
  erasure's transaction after the account itself is pseudonymised; delete or
  pseudonymise what the app keeps about it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.dispatch import Signal

collect = Signal()
erase = Signal()


@dataclass
class Section:
    """What one app holds about a user: ``rows`` for the JSON download (under
    ``key``), ``lines`` for the page (under ``title``)."""

    key: str
    title: str
    rows: list[dict[str, Any]] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)


def sections(user) -> list[Section]:
    found = [answer for _receiver, answer in collect.send(sender=None, user=user)]
    return sorted((s for s in found if s is not None), key=lambda s: s.key)


def erased(user, *, old_username: str, old_email: str) -> None:
    erase.send(sender=None, user=user, old_username=old_username, old_email=old_email)
