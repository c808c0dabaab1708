"""Memory handed back after a large request; response headers that Django's
SecurityMiddleware does not set itself; the language of each request; a log
line for every refusal; a clear answer when the database cannot be written."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.template import loader
from django.utils import translation

from core import memory

logger = logging.getLogger(__name__)
security_log = logging.getLogger("unikom.security")


class MemoryReleaseMiddleware:
    """The outermost: after a request that made the process grow (a national
    analysis drawn for the first time), hand the freed memory back to the system
    before the answer is sent (core.memory)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.releaser = memory.Releaser()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        self.releaser.after_request(time.perf_counter() - started)
        return response


class SecurityHeadersMiddleware:
    """Add a content security policy and a restrictive permissions policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), interest-cohort=()"
        )
        return response


class RefusalLogMiddleware:
    """Log every refusal with who asked: 401, 403 and 429 answers, and a signed-in
    user who is not staff sent away from the admin (logger ``unikom.security``).

    Django's own request log names the path only; this names the account (by id
    and user name, known only to the operators who read the log), never what was
    sent.
    """

    REFUSED = {401, 403, 429}

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        admin_refused = (
            signed_in
            and not user.is_staff
            and request.path.startswith("/admin/")
            and response.status_code == 302
            and "/admin/login/" in response.get("Location", "")
        )
        if response.status_code in self.REFUSED or admin_refused:
            security_log.warning(
                "refused %s %s with %s for %s",
                request.method,
                request.path,
                response.status_code,
                f"user {user.pk} ({user.get_username()})" if signed_in else "an anonymous client",
            )
        return response


class LanguageMiddleware(LocaleMiddleware):
    """Norwegian bokmål unless the visitor has chosen another language.

    Django's LocaleMiddleware would follow the browser's Accept-Language; a
    Norwegian public-sector service shows bokmål first and lets the visitor
    switch (the choice is kept in the language cookie by ``set_language``).
    """

    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


#: PostgreSQL's codes for a database that cannot be written: read-only transaction
#: (a read-only database or a standby), disk full, I/O error.
UNWRITABLE_SQLSTATES = {"25006", "53100", "58030"}
#: SQLite's messages for the same (read-only file or folder, full disk, failed write).
UNWRITABLE_MESSAGES = ("readonly", "read-only", "disk is full", "disk i/o error")
#: The API's answer, in the site's two languages (like templates/503.html).
UNWRITABLE_DETAIL = {
    "nb": "Databasen kan ikke skrives til nå (full disk eller skrivebeskyttet). "
    "Ingenting ble lagret. Prøv igjen senere.",
    "en": "The database cannot be written to right now (full disk or read-only). "
    "Nothing was saved. Try again later.",
}


def database_unwritable(error: BaseException) -> bool:
    """Whether ``error`` says the database cannot be written, rather than a bug."""
    if not isinstance(error, DatabaseError):
        return False
    if getattr(error.__cause__, "sqlstate", None) in UNWRITABLE_SQLSTATES:
        return True
    text = str(error).lower()
    return any(message in text for message in UNWRITABLE_MESSAGES)


class UnwritableDatabaseMiddleware:
    """A full disk or a read-only database answers 503 saying so, not a generic 500.

    The request's transaction has been rolled back when the error arrives here, so
    nothing of it is saved. Pages get templates/503.html (rendered without context
    processors, which would query the database again); the API gets its error
    shape with code ``unavailable``. Both send ``Retry-After``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not database_unwritable(exception):
            return None
        logger.error(
            "The database cannot be written: %s %s", request.method, request.path, exc_info=True
        )
        headers = {"Retry-After": "120"}
        if request.path.startswith("/api/"):
            language = "en" if translation.get_language() == "en" else "nb"
            body = {
                "status": 503,
                "code": "unavailable",
                "detail": UNWRITABLE_DETAIL[language],
                "errors": {},
            }
            return JsonResponse(body, status=503, headers=headers)
        page = loader.get_template("503.html").render()
        return HttpResponse(page, status=503, headers=headers)
