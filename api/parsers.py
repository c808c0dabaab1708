"""JSON bodies, refused up front when they hold text no database can store
or are nested deeper than any record of the API.

PostgreSQL cannot store NUL characters in text, and unpaired UTF-16
surrogates cannot be encoded at all; found anywhere in a body (a title, a
slug to look up, a key), they would otherwise surface as a server error
deep inside a query. Python's JSON reader gives up on arrays nested some
thousand deep with a RecursionError. The answer is 400 ``parse_error`` instead.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers

#: The deepest a body may nest: a record's roles are three levels down.
MAX_DEPTH = 16


def too_deep(value) -> bool:
    """Whether ``value`` nests lists and objects deeper than MAX_DEPTH (no recursion)."""
    level = [value]
    for _depth in range(MAX_DEPTH + 1):
        level = [
            child
            for item in level
            if isinstance(item, (dict, list))
            for child in (item.values() if isinstance(item, dict) else item)
        ]
        if not level:
            return False
    return any(isinstance(item, (dict, list)) for item in level)


def storable(value) -> bool:
    if isinstance(value, str):
        if "\x00" in value:
            return False
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return False
        return True
    if isinstance(value, dict):
        return all(storable(k) and storable(v) for k, v in value.items())
    if isinstance(value, list):
        return all(storable(v) for v in value)
    return True


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            data = None
            deep = True
        else:
            deep = too_deep(data)
        if deep:
            raise exceptions.ParseError(
                _("The body is nested too deeply (at most %(depth)d levels).")
                % {"depth": MAX_DEPTH}
            )
        if not storable(data):
            raise exceptions.ParseError(
                _("Text in the body may not contain NUL characters or unpaired surrogates.")
            )
        return data
