"""Reading one cell: text, dates, amounts, yes/no, codes and lists as people write them.

Every parser takes the raw cell (a string from CSV, or the typed value an
XLSX cell holds) and returns the Python value, or raises ``CellError`` with a
message for the user. Norwegian habits are accepted on purpose: "14.03.2025"
and "14. mars 2025" for dates, "2 500 000" and "2500000,00" for amounts,
"ja"/"nei" for yes and no.
"""

from __future__ import annotations

import datetime
import re
import uuid
from decimal import Decimal, InvalidOperation
from functools import cache

from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from opendata.columns import FORMULA_GUARD, FORMULA_TRIGGERS, unneutralise
from search.text import fold

LIST_SEPARATOR = ";"

# UTF-8 read as Windows-1252 turns "ø" into "Ã¸", "å" into "Ã¥", "Ø" into "Ã˜".
MIXED_UP_ENCODING = re.compile(
    r"Ã[\u0080-\u00bf\u0152-\u0178\u02c6-\u02dc\u2013-\u2122]|Â[\u00a0-\u00bf]"
)
SPACES = re.compile(r"[\s\u00a0\u2007\u2009\u202f]+")
WHOLE = re.compile(r"[0-9]+")
WHOLE_WITH_ZERO_DECIMALS = re.compile(r"([0-9]+)[,.]0+")
DOT_THOUSANDS = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+")
COMMA_THOUSANDS = re.compile(r"[0-9]{1,3}(,[0-9]{3}){2,}")
ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:[T ][0-9:.]+Z?)?")
NORWEGIAN_DATE = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{2}|[0-9]{4})")
DATE_AND_TIME = re.compile(r"(\S+?)(?:[T ]|\s+kl\.?\s*)([0-9]{1,2})[:.]([0-9]{2})")
WORDED_DATE = re.compile(r"([0-9]{1,2})\.?\s+([^\W\d_]+)\.?\s+([0-9]{4})")

MONTHS: dict[str, int] = {}
for _names in (
    "januar februar mars april mai juni juli august september oktober november desember",
    "january february march april may june july august september october november december",
    "jan feb mar apr mai jun jul aug sep okt nov des",
    "jan feb mar apr may jun jul aug sep oct nov dec",
):
    MONTHS.update({name: i for i, name in enumerate(_names.split(), start=1)})

YES = {"true", "ja", "yes", "1", "sann", "j", "y", "x"}
NO = {"false", "nei", "no", "0", "usann", "n"}


class CellError(ValueError):
    """A cell that cannot be read; the message says why, for the user."""


def text(cell) -> str:
    """A text cell, with the exporter's injection guard taken off again.

    The exporter (``opendata.columns.neutralise``) puts one "'" in front of a
    cell that begins with ``= + - @``, TAB, CR or "'"; that guard comes off
    here. A cell that begins with a formula trigger *without* the guard is
    refused: spreadsheet programs would run it, and unikom does not store what
    would run in the next person's spreadsheet.
    """
    if cell is None:
        return ""
    if not isinstance(cell, str):
        return _plain(cell)
    if cell[:1] == FORMULA_GUARD:
        value = unneutralise(cell)
    elif cell[:1] in FORMULA_TRIGGERS:
        raise CellError(
            _(
                "The cell begins with “%(char)s”, which spreadsheet programs run as a formula. "
                "If it is text, begin it with an apostrophe (')."
            )
            % {"char": {"\t": "tab", "\r": "CR"}.get(cell[0], cell[0])}
        )
    else:
        value = cell
    if MIXED_UP_ENCODING.search(value):
        raise CellError(
            _(
                "The text looks garbled (like “Ã¸” for “ø”): the file was saved in one "
                "character encoding and read in another. Save it as “CSV UTF-8” and try again."
            )
        )
    if "\x00" in value:
        raise CellError(_("The cell holds binary data."))
    return value.strip()


def _plain(cell) -> str:
    """Text of a typed XLSX cell (a number in a text column, say)."""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, datetime.datetime):
        return cell.date().isoformat() if cell.time() == datetime.time() else cell.isoformat()
    if isinstance(cell, datetime.date):
        return cell.isoformat()
    return str(cell)


def blank(cell) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


def date(cell) -> datetime.date | None:
    """A date: ISO (2025-03-14), Norwegian (14.03.2025, 14.3.25) or worded (14. mars 2025).

    A two-digit year is in this century (14.3.25 is 2025).
    """
    if blank(cell):
        return None
    if isinstance(cell, datetime.datetime):
        return cell.date()
    if isinstance(cell, datetime.date):
        return cell
    value = text(cell)
    try:
        if match := ISO_DATE.fullmatch(value):
            year, month, day = (int(g) for g in match.groups())
        elif match := NORWEGIAN_DATE.fullmatch(value):
            day, month, year = (int(g) for g in match.groups())
            if len(match.group(3)) == 2:
                year += 2000
        elif (match := WORDED_DATE.fullmatch(value)) and fold(match.group(2)) in MONTHS:
            day, year = int(match.group(1)), int(match.group(3))
            month = MONTHS[fold(match.group(2))]
        else:
            raise CellError(
                _("“%(value)s” is not a date. Write it like 2025-03-14 or 14.03.2025.")
                % {"value": value}
            )
        return datetime.date(year, month, day)
    except ValueError as error:
        if isinstance(error, CellError):
            raise
        message = _("“%(value)s” is not a date in the calendar.")
        raise CellError(message % {"value": value}) from None


def date_time(cell) -> datetime.datetime | None:
    """A moment: ISO 8601 (2025-03-04T09:00:00+01:00), or a date and a time
    (14.03.2025 09:00, 2025-03-14 09:00); without an offset it is Norwegian time."""
    if blank(cell):
        return None
    if isinstance(cell, datetime.datetime):
        moment = cell
    else:
        value = text(cell)
        match = DATE_AND_TIME.fullmatch(value)
        try:
            if match:
                day = date(match.group(1))
                hour, minute = int(match.group(2)), int(match.group(3))
                moment = datetime.datetime.combine(day, datetime.time(hour, minute))
            else:
                moment = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except (ValueError, CellError):
            raise CellError(
                _(
                    "“%(value)s” is not a date and time. Write it like 2025-03-14T09:00:00+01:00 "
                    "or 14.03.2025 09:00."
                )
                % {"value": value}
            ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


def amount(cell) -> Decimal | None:
    """Whole kroner: "2500000", "2 500 000", "2.500.000", "2500000,00", "2 500 000 kr".

    A decimal comma is a decimal comma: "2,5" is two and a half kroner, which is
    refused, since amounts are kept in whole kroner.
    """
    if blank(cell):
        return None
    if isinstance(cell, bool):
        raise CellError(_("Give the amount in whole kroner, e.g. 2500000."))
    if isinstance(cell, int):
        value = Decimal(cell)
    elif isinstance(cell, float):
        if not cell.is_integer():
            raise CellError(
                _("%(value)s is not whole kroner. Give the amount in whole kroner, e.g. 2500000.")
                % {"value": cell}
            )
        value = Decimal(int(cell))
    else:
        raw = cell.strip()
        s = SPACES.sub("", raw).lower()
        for suffix in (",-", ".-", "kr", "nok"):
            s = s.removesuffix(suffix)
        s = s.removeprefix("kr").removeprefix("nok")
        negative = s.startswith("-")
        s = s.removeprefix("-")
        if WHOLE.fullmatch(s):
            value = Decimal(s)
        elif match := WHOLE_WITH_ZERO_DECIMALS.fullmatch(s):
            value = Decimal(match.group(1))
        elif DOT_THOUSANDS.fullmatch(s) or COMMA_THOUSANDS.fullmatch(s):
            value = Decimal(s.replace(".", "").replace(",", ""))
        else:
            try:
                Decimal(s.replace(",", "."))
            except InvalidOperation:
                raise CellError(
                    _("“%(value)s” is not an amount. Give whole kroner, e.g. 2500000.")
                    % {"value": raw}
                ) from None
            raise CellError(
                _("“%(value)s” is not whole kroner. Give the amount in whole kroner, e.g. 2500000.")
                % {"value": raw}
            )
        if negative:
            value = -value
    if value < 0:
        raise CellError(_("The amount cannot be negative."))
    if len(str(value)) > 15:
        raise CellError(_("The amount is too large."))
    return value


def boolean(cell, *, default: bool = True) -> bool:
    """Yes or no: true/false, ja/nei, yes/no, 1/0; empty is ``default``."""
    if blank(cell):
        return default
    if isinstance(cell, bool):
        return cell
    if isinstance(cell, (int, float)) and cell in (0, 1):
        return bool(cell)
    value = fold(str(cell).strip())
    if value in YES:
        return True
    if value in NO:
        return False
    message = _("“%(value)s” is not yes or no. Write true or false (or ja/nei).")
    raise CellError(message % {"value": cell})


@cache
def _choice_lookup(choices: type[models.TextChoices]) -> dict[str, str]:
    """Folded code and label (in every language) -> code."""
    lookup: dict[str, str] = {}
    for language in ("en", "nb", "nn"):
        with translation.override(language):
            for code, label in choices.choices:
                lookup.setdefault(fold(str(label)), code)
    for code in choices.values:
        lookup[fold(code)] = code
    return lookup


def choice(cell, choices: type[models.TextChoices]) -> str:
    """A code of ``choices``, given as the code or its English or Norwegian label."""
    if blank(cell):
        return ""
    value = text(cell)
    code = _choice_lookup(choices).get(fold(value))
    if code is None:
        raise CellError(
            _("“%(value)s” is not one of: %(codes)s.")
            % {"value": value, "codes": ", ".join(choices.values)}
        )
    return code


def public_id(cell) -> uuid.UUID | None:
    if blank(cell):
        return None
    value = text(cell)
    try:
        return uuid.UUID(value)
    except ValueError:
        raise CellError(
            _("“%(value)s” is not a unikom id (leave the cell empty for a new record).")
            % {"value": value}
        ) from None


def items(cell) -> list[str]:
    """A list written in one cell, separated by semicolons."""
    if blank(cell):
        return []
    return [part.strip() for part in text(cell).split(LIST_SEPARATOR) if part.strip()]
