"""Dates as the sources give them: a year, a month, a day, or a period.

Sources date things loosely: "2015", "February 2016", "17 February 2016",
"the early 2000s", "the late 1980s". :func:`parse_when` reads such wording
(Norwegian or English) into a :class:`When`: the range of years it covers and
the wording itself, so that a page shows it as written, a timeline places it
at its range, and "earliest" and "age" use its first year. Nothing is
dropped for being imprecise.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Years:
    """The years a kind of record's dates may fall in: the one rule its form (and so
    the API, which writes through the form) and the importer check."""

    first: int
    last: int

    def problem(self, value) -> str | None:
        """The message for a date or moment outside these years, else None."""
        if value is not None and not self.first <= value.year <= self.last:
            return _("Give a date between %(first)s and %(last)s.") % {
                "first": self.first,
                "last": self.last,
            }
        return None


def local_today() -> date:
    """Today's date in Norway (settings.TIME_ZONE, Europe/Oslo), whatever the zone of
    the server's clock: the one "today" of every rule, page and report."""
    return timezone.localdate()


#: Month names (bokmål and English, full and short) -> month number.
MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("januar", "january", "jan"),
            ("februar", "february", "feb"),
            ("mars", "march", "mar"),
            ("april", "apr"),
            ("mai", "may"),
            ("juni", "june", "jun"),
            ("juli", "july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("oktober", "october", "okt", "oct"),
            ("november", "nov"),
            ("desember", "december", "des", "dec"),
        ],
        start=1,
    )
    for name in names
}

# Parts of a decade, as the sources word them: (first year, last year) within it.
_EARLY = ("tidlig", "tidleg", "early", "begynnelsen av", "starten av")
_MID = ("midten av", "mid", "mid-")
_LATE = ("slutten av", "sent", "late", "enden av")

_YEAR = re.compile(r"^(\d{4})$")
_ISO_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
_ISO_DAY = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_RANGE = re.compile(r"^(\d{4})\s*(?:-|–|—|til|to)\s*(\d{4})$")
_DECADE = re.compile(
    r"^(?P<part>[a-zæøå\- ]*?)\s*(?:the\s+)?(?P<decade>\d{3}0)(?:-tallet|-tall|s|'s)$"
)
_WORDED_DAY = re.compile(r"^(\d{1,2})\.?\s+([a-zæøå]+)\.?\s+(\d{4})$")
_WORDED_MONTH = re.compile(r"^([a-zæøå]+)\.?\s+(\d{4})$")


class WhenError(ValueError):
    """The wording is not a date or a period this module can read."""


@dataclass(frozen=True)
class When:
    """A point or period in time: the years it covers and how the source put it.

    ``text`` is empty for a plain year (the year says it all); otherwise it is
    the source's wording, shown as written.
    """

    year_from: int
    year_to: int
    text: str = ""
    month: int | None = None
    day: int | None = None

    @property
    def is_range(self) -> bool:
        return self.year_to != self.year_from

    def display(self) -> str:
        return self.text or str(self.year_from)

    def age(self, today: date | None = None) -> tuple[int, int]:
        """Years since then, as (least, most): (15, 19) for "the early 2000s" in 2019."""
        year = (today or local_today()).year
        return (max(year - self.year_to, 0), max(year - self.year_from, 0))


def parse_when(value: str | int | None) -> When | None:
    """Read a year, ``YYYY-MM``, ``YYYY-MM-DD``, "17. februar 2016", "mars 2019",
    "2010–2012", "1990s"/"1990-tallet", "early 2000s"/"tidlig 2000-tall",
    "mid 1990s"/"midten av 1990-tallet", "late 1980s"/"slutten av 1980-tallet".

    Returns None for an empty value; raises :class:`WhenError` for anything else
    it cannot read.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        raise WhenError(_("'%(value)s' is not a date or a period") % {"value": value})
    if isinstance(value, int):
        return _checked(When(value, value))
    original = str(value).strip()
    text = " ".join(original.lower().split())
    if not text:
        return None
    for reader in (_read_numeric, _read_worded, _read_decade):
        when = reader(text, original)
        if when is not None:
            return when
    raise WhenError(
        _(
            "cannot read '%(value)s' as a date or a period "
            "(write 2015, 2015-03, 2015-03-17, 2010–2012, 1990s or early 2000s)"
        )
        % {"value": original}
    )


def _read_numeric(text: str, original: str) -> When | None:
    """A year, ``YYYY-MM``, ``YYYY-MM-DD`` or a range of years; None if not one."""
    if m := _YEAR.match(text):
        return _checked(When(int(m[1]), int(m[1])))
    if m := _ISO_DAY.match(text):
        return _checked(When(int(m[1]), int(m[1]), original, int(m[2]), int(m[3])))
    if m := _ISO_MONTH.match(text):
        return _checked(When(int(m[1]), int(m[1]), original, int(m[2])))
    if m := _RANGE.match(text):
        return _checked(When(int(m[1]), int(m[2]), original))
    return None


def _read_worded(text: str, original: str) -> When | None:
    """A day or a month with the month's name ("17. februar 2016", "mars 2019");
    None if not one."""
    if m := _WORDED_DAY.match(text):
        month = MONTHS.get(m[2])
        if month:
            return _checked(When(int(m[3]), int(m[3]), original, month, int(m[1])))
    if m := _WORDED_MONTH.match(text):
        month = MONTHS.get(m[1])
        if month:
            return _checked(When(int(m[2]), int(m[2]), original, month))
    return None


def _read_decade(text: str, original: str) -> When | None:
    """A decade or a part of one ("1990s", "tidlig 2000-tall"); None if not one."""
    m = _DECADE.match(text)
    if not m:
        return None
    decade = int(m["decade"])
    part = m["part"].strip().rstrip("-").strip()
    if not part:
        return _checked(When(decade, decade + 9, original))
    if part in _EARLY:
        return _checked(When(decade, decade + 4, original))
    if part in _MID or part.rstrip("-") in _MID:
        return _checked(When(decade + 3, decade + 6, original))
    if part in _LATE:
        return _checked(When(decade + 5, decade + 9, original))
    return None


def _checked(when: When) -> When:
    if not 1800 <= when.year_from <= 2200 or not 1800 <= when.year_to <= 2200:
        raise WhenError(_("the year %(year)s is out of range") % {"year": when.year_from})
    if when.year_to < when.year_from:
        raise WhenError(_("the period ends before it starts"))
    if when.month is not None:
        try:
            date(when.year_from, when.month, when.day or 1)
        except ValueError as error:
            raise WhenError(_("'%(value)s' is not a real date") % {"value": when.text}) from error
    return when


def when_from_fields(year_from: int | None, year_to: int | None, text: str) -> When | None:
    """Rebuild a :class:`When` from the three stored fields (None without a year)."""
    if year_from is None:
        return None
    return When(year_from, year_to or year_from, text or "")
