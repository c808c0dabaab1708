"""A small HTTP client with cookies, for forms and the API of a real server.

Standard library only. Cookies are kept by name and always sent back, also the
ones marked Secure: behind the test proxy the site believes it is served over
HTTPS while the test talks plain HTTP on loopback.
"""

from __future__ import annotations

import http.client
import json
import secrets
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

from . import forms


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)

    @property
    def location(self) -> str:
        return self.header("Location") or ""


class Client:
    """One browser (or script): its own cookies, one connection per request."""

    def __init__(self, base: str, *, headers: dict[str, str] | None = None, timeout: float = 60):
        parts = urlsplit(base)
        self.base = base.rstrip("/")
        self.host, self.port = parts.hostname, parts.port or 80
        self.headers = {"Accept-Language": "en", **(headers or {})}
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, body: bytes | None = None, headers: dict | None = None
    ) -> Response:
        sent = {**self.headers, **(headers or {})}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, path, body=body, headers=sent)
            answer = connection.getresponse()
            response = Response(answer.status, answer.getheaders(), answer.read())
        finally:
            connection.close()
        for name, value in response.headers:
            if name.lower() == "set-cookie":
                for morsel in SimpleCookie(value).values():
                    if morsel.value and morsel["max-age"] != "0":
                        self.cookies[morsel.key] = morsel.value
                    else:
                        self.cookies.pop(morsel.key, None)
        return response

    def get(self, path: str, **headers) -> Response:
        return self.request("GET", path, headers=headers)

    def post_form(self, path: str, fields, *, referer: str | None = None) -> Response:
        """POST urlencoded ``fields`` (pairs or a dict), as a browser submits a form."""
        pairs = list(fields.items()) if isinstance(fields, dict) else list(fields)
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        headers["Referer"] = referer or self.origin + path
        return self.request("POST", path, urlencode(pairs, doseq=True).encode(), headers)

    def post_multipart(
        self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]
    ) -> Response:
        """POST a form with file uploads (``files``: field → (file name, content))."""
        boundary = "unikom-" + secrets.token_hex(12)
        parts = []
        for name, value in fields.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
                f"{value}\r\n".encode()
            )
        for name, (filename, content) in files.items():
            head = (
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'
            )
            parts.append(head.encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        headers = {
            "Content-Type": f"multipart/form-data; boundary={boundary}",
            "Referer": self.origin + path,
        }
        return self.request("POST", path, b"".join(parts), headers)

    @property
    def origin(self) -> str:
        proto = self.headers.get("X-Forwarded-Proto", "http")
        host = self.headers.get("Host", f"{self.host}:{self.port}")
        return f"{proto}://{host}"

    def sign_in(self, username: str, password: str) -> None:
        page = self.get("/accounts/login/")
        assert page.status == 200, page.status
        response = self.post_form(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": forms.csrf_token(page.text),
                "username": username,
                "password": password,
                "next": "/",
            },
        )
        assert response.status == 302, (response.status, response.text[:2000])
        assert "sessionid" in self.cookies

    def edit_form(self, path: str) -> forms.Form:
        page = self.get(path)
        assert page.status == 200, (path, page.status)
        return forms.record_form(page.text)[0]

    def api(self, method: str, path: str, body=None, *, token: str | None = None) -> Response:
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        return self.request(method, path, data, headers)
