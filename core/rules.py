"""Rules a record meets across its fields, stated once and asked by every way in.

A record is written by its form (and so by the API, which writes through the form,
``api.writes``) and by the importer (``imports.kinds``). Each rule over several
fields — dates in order, a level only with an owner, a place or a link — is one
:class:`Rule` in the app's ``rules`` module, and the form and the importer both ask
it, so they refuse the same records with the same words.

Values are given by the form's field names, which are also the columns of the
import file: ``{"start_date": …, "professional_owner": …}``. A rule only looks at
whether an owner is given, so a model instance (form) and a primary key (importer)
serve alike.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Rule:
    """``check`` is called with the values of ``reads``, in order, and returns the
    message for a record that breaks the rule (None when it keeps it); the message
    belongs to ``field``."""

    field: str
    reads: tuple[str, ...]
    check: Callable[..., str | None]

    def problem(self, values: Mapping[str, Any]) -> str | None:
        return self.check(*(values.get(name) for name in self.reads))


def problems(
    rules: Iterable[Rule], values: Mapping[str, Any], *, failed: Iterable[str] = ()
) -> list[tuple[str, str]]:
    """(field, message) for each rule ``values`` break. A rule that reads a field in
    ``failed`` (a value that could not be read, whose own error is shown) or whose
    field already has an error is not asked: it would judge a value nobody gave."""
    failed = set(failed)
    found = []
    for rule in rules:
        if rule.field in failed or failed.intersection(rule.reads):
            continue
        if message := rule.problem(values):
            found.append((rule.field, str(message)))
    return found


def check_form(form, rules: Iterable[Rule]) -> None:
    """Add the problems of ``rules`` to a form being cleaned, field by field."""
    for field, message in problems(rules, form.cleaned_data, failed=form.errors):
        form.add_error(field, message)
