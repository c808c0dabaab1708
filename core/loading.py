"""The loading toolkit: collect every problem with its place, then write all or nothing.

Every loader of unikom — reference data (``organisations.refdata``), the
bundled dataset (``partnerships.dataset``) and the importer (``imports``) —
reads a whole file first and checks all of it, so that a user fixes a file
once, not once per error. Each problem is a :class:`Problem`: what is wrong
(``message``) and where (``source``: the file, or the part of one; ``row`` as
a spreadsheet shows it, the header being row 1, or ``feature`` in a GeoJSON
file; ``column``: a column, a property or a field). A :class:`Problems`
collector gathers them; :meth:`Problems.check` refuses the whole load with
one :class:`LoadError` carrying all of them, before anything is written.

CSV files are read by :mod:`core.tabular`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import NoReturn

from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Problem:
    """One problem of a load: what is wrong, and where."""

    message: str
    #: The file (or the part of one, "snapshot › municipalities.csv"); empty when
    #: whoever shows the problem names the file itself (the importer's report).
    source: str = ""
    #: The row as a spreadsheet shows it (the header is row 1).
    row: int | None = None
    #: The column of a table, the property of a feature, or a field.
    column: str = ""
    #: The feature of a GeoJSON file, counted from 1 (where a table has rows).
    feature: int | None = None

    def as_dict(self) -> dict:
        place = {"source": self.source} if self.source else {}
        return {**place, "row": self.row, "column": self.column, "message": self.message}

    def __str__(self) -> str:
        if not self.source:
            return self._in_table()
        values = {
            "file": self.source,
            "row": self.row,
            "column": self.column,
            "feature": self.feature,
            "property": self.column,
            "problem": self.message,
        }
        if self.feature is not None and self.column:
            return _("%(file)s, feature %(feature)d, property %(property)s: %(problem)s") % values
        if self.feature is not None:
            return _("%(file)s, feature %(feature)d, geometry: %(problem)s") % values
        if self.row is not None and self.column:
            return _("%(file)s, row %(row)d, column %(column)s: %(problem)s") % values
        if self.row is not None:
            return _("%(file)s, row %(row)d: %(problem)s") % values
        return _("%(file)s: %(problem)s") % values

    def _in_table(self) -> str:
        """The place without the file: "row 3, column “name”: …" (the importer's form)."""
        where = [_("row %(row)d") % {"row": self.row}] if self.row else []
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


class LoadError(Exception):
    """A load was refused, and nothing was written; ``problems`` says why, every one.

    ``errors`` holds one line per problem, as :meth:`describe` writes it; a
    loader's own error class may write them differently.
    """

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.errors))

    @property
    def errors(self) -> list[str]:
        return [self.describe(problem) for problem in self.problems]

    def describe(self, problem: Problem) -> str:
        return str(problem)


class Problems(list[Problem]):
    """Gathers the problems of one load, in the order they are found.

    ``refusal`` makes the error that refuses the load (by default a
    :class:`LoadError`) from the list of problems.
    """

    def __init__(self, refusal: Callable[[list[Problem]], LoadError] = LoadError) -> None:
        super().__init__()
        self.refusal = refusal

    def add(
        self,
        message: str,
        *,
        source: str = "",
        row: int | None = None,
        column: str | None = "",
        feature: int | None = None,
    ) -> Problem:
        problem = Problem(message, source, row, column or "", feature)
        self.append(problem)
        return problem

    def check(self) -> None:
        """Refuse the load, with every problem found, if there is one."""
        if self:
            raise self.refusal(list(self))

    def refuse(self, message: str, **place) -> NoReturn:
        """Refuse the load now: a problem that keeps the rest from being checked."""
        self.add(message, **place)
        raise self.refusal(list(self))
