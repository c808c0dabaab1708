"""OpenAPI: every operation documents the error answers it can give.

All errors share one shape (api.errors.ErrorSerializer), so that clients and
schemathesis can check them like any other answer.
"""

from __future__ import annotations

from drf_spectacular.openapi import AutoSchema

from .errors import ErrorSerializer

ALWAYS = ("400", "401", "404", "406", "429")
WRITES = ("403",)
BODIES = ("415",)
UPDATES = ("409",)


class ApiAutoSchema(AutoSchema):
    def error_codes(self) -> tuple[str, ...]:
        codes = ALWAYS
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes += WRITES
        if self.method in ("POST", "PUT", "PATCH"):
            codes += BODIES
        if self.method in ("PUT", "PATCH"):
            codes += UPDATES
        return codes

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for code in self.error_codes():
            if code not in responses:
                responses[code] = self._get_response_for_code(
                    ErrorSerializer, code, direction=direction
                )
        return responses
