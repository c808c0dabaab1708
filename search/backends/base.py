from __future__ import annotations

from search.query import ParsedQuery

RESULT_LIMIT = 1000


class SearchBackend:
    """What each engine provides; documents themselves are ordinary rows."""

    def __init__(self, connection) -> None:
        self.connection = connection

    def create_schema(self, schema_editor) -> None:
        raise NotImplementedError

    def drop_schema(self, schema_editor) -> None:
        raise NotImplementedError

    def search(self, query: ParsedQuery, limit: int = RESULT_LIMIT) -> list[int]:
        raise NotImplementedError

    def vocabulary(self) -> list[str]:
        """The stems found in titles (names), for the typo fallback."""
        raise NotImplementedError
