"""JSON bodies, refused up front when they hold text no database can store.

PostgreSQL cannot store NUL characters in text, and unpaired UTF-16
surrogates cannot be encoded at all; found anywhere in a body (a title, a
slug to look up, a key), they would otherwise surface as a server error
deep inside a query. The answer is 400 ``parse_error`` instead.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers


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
        data = super().parse(stream, media_type, parser_context)
        if not storable(data):
            raise exceptions.ParseError(
                _("Text in the body may not contain NUL characters or unpaired surrogates.")
            )
        return data
