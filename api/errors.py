"""One error shape for every 4xx answer of the API.

::

    {"status": 400, "code": "invalid", "detail": "Check the fields listed in errors.",
     "errors": {"title": ["This field is required."],
                "organisation_roles.0.role": ["\"boss\" is not a valid choice."]}}

``errors`` holds field messages by dotted path (list positions as numbers)
and is empty when the error is not about fields; ``non_field_errors`` holds
messages about the record as a whole.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, serializers, status
from rest_framework.views import exception_handler as drf_exception_handler


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"
    default_detail = gettext_lazy(
        "Someone else changed this record after you read it. Read it again to get the "
        "new version, then send your change with that version."
    )


class BodyTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "too_large"

    def __init__(self):
        megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
        super().__init__(
            _("The body is larger than the API accepts (%(mb).1f MB).") % {"mb": megabytes}
        )


class ErrorSerializer(serializers.Serializer):
    """The body of every 4xx answer (documented in the schema)."""

    status = serializers.IntegerField(help_text="The HTTP status code.")
    code = serializers.CharField(
        help_text="A stable machine-readable code, e.g. invalid, not_found, conflict, "
        "not_authenticated, permission_denied, throttled, parse_error."
    )
    detail = serializers.CharField(help_text="What went wrong, in words.")
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages by field (dotted paths for nested fields); empty if none.",
    )


def flatten(detail, path: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as ``{"a.0.b": ["message", ...]}``."""
    result: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            for name, messages in flatten(value, f"{path}.{key}" if path else str(key)).items():
                result.setdefault(name, []).extend(messages)
    elif isinstance(detail, list) and any(isinstance(v, (dict, list)) for v in detail):
        for index, value in enumerate(detail):
            for name, messages in flatten(value, f"{path}.{index}" if path else str(index)).items():
                result.setdefault(name, []).extend(messages)
    elif isinstance(detail, list):
        result[path or "non_field_errors"] = [str(v) for v in detail]
    else:
        result[path or "non_field_errors"] = [str(detail)]
    return result


def error_body(status_code: int, code: str, detail: str, errors: dict | None = None) -> dict:
    return {"status": status_code, "code": code, "detail": str(detail), "errors": errors or {}}


def exception_handler(exc, context):
    if isinstance(exc, RequestDataTooBig):
        exc = BodyTooLarge()
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound(str(exc) if str(exc) else None)
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) if str(exc) else None)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = flatten(exc.detail)
        code = "invalid"
        detail = _("Check the fields listed in errors.")
    else:
        errors = {}
        code = getattr(exc, "default_code", "error")
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        codes = exc.get_codes() if hasattr(exc, "get_codes") else None
        if isinstance(codes, str):
            code = codes
    response.data = error_body(response.status_code, code, detail, errors)
    return response


@csrf_exempt  # a POST to a mistyped address is a 404, not a CSRF failure page
def not_found(request, *args, **kwargs) -> JsonResponse:
    """Unknown addresses under /api/ answer in the API's error shape, not an HTML page."""
    return JsonResponse(error_body(404, "not_found", _("No such address in the API.")), status=404)
