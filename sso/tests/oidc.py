"""A real OpenID Connect provider on loopback for the sign-in tests.

``running_provider`` runs node-oidc-provider (provider/provider.mjs, installed
with ``npm ci`` when provider/node_modules is missing) behind ``Tamperer``, a
small proxy that passes everything through unchanged unless a test asks it to
alter the ID token in the token endpoint's answer: re-signed with another key,
for another audience, or expired. The provider's issuer is the proxy's address,
so unikom sees one provider, as it would a misbehaving one.
"""

from __future__ import annotations

import base64
import fcntl
import http.client
import json
import re
import selectors
import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests
from joserfc import jwt
from joserfc.jwk import RSAKey

PROVIDER_DIR = Path(__file__).parent / "provider"
KID = "unikom-test-key"
PASSWORD = "any-password-the-dev-pages-accept"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def new_key() -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": KID, "alg": "RS256", "use": "sig"})


def ensure_node() -> None:
    """node and the provider's packages, or a loud failure (never a skip)."""
    for tool in ("node", "npm"):
        if shutil.which(tool) is None:
            pytest.fail(f"{tool} is required for the sign-in tests (apt-get install nodejs npm)")
    # Parallel test workers install once: the first takes the lock, the others wait.
    with open(Path(tempfile.gettempdir()) / "unikom-oidc-provider-npm.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (PROVIDER_DIR / "node_modules" / "oidc-provider").exists():
            subprocess.run(
                ["npm", "ci", "--no-audit", "--no-fund"], cwd=PROVIDER_DIR, check=True, timeout=300
            )


Tamper = Callable[[dict], dict]
#: Headers the proxy sets itself (it closes each connection, as HTTP/1.0 does).
HOP_BY_HOP = {"connection", "keep-alive", "transfer-encoding", "content-length", "date", "server"}


class Tamperer(ThreadingHTTPServer):
    """Forwards every request to the provider; ``tamper`` rewrites the claims of the
    token endpoint's ID token, which ``signing_key`` then signs."""

    daemon_threads = True

    def __init__(self, port: int, upstream_port: int, signing_key: RSAKey):
        super().__init__(("127.0.0.1", port), _Forward)
        self.upstream_port = upstream_port
        self.signing_key = signing_key
        self.tamper: Tamper | None = None

    def tampered(self, body: bytes) -> bytes:
        answer = json.loads(body)
        payload = answer["id_token"].split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        header = {"alg": "RS256", "kid": KID, "typ": "JWT"}
        answer["id_token"] = jwt.encode(header, self.tamper(claims), self.signing_key)
        return json.dumps(answer).encode()


class _Forward(BaseHTTPRequestHandler):
    server: Tamperer

    def log_message(self, *args):  # quiet
        pass

    def _forward(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() != "connection"}
        upstream = http.client.HTTPConnection("127.0.0.1", self.server.upstream_port, timeout=30)
        upstream.request(self.command, self.path, body=body, headers=headers)
        response = upstream.getresponse()
        content = response.read()
        if self.server.tamper and urlsplit(self.path).path == "/token" and response.status == 200:
            content = self.server.tampered(content)
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in HOP_BY_HOP:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)
        upstream.close()

    do_GET = do_POST = _forward


@dataclass
class Provider:
    issuer: str
    key: RSAKey
    proxy: Tamperer
    log: list[str] = field(default_factory=list)

    @contextmanager
    def tampering(self, tamper: Tamper, signing_key: RSAKey | None = None) -> Iterator[None]:
        self.proxy.tamper, self.proxy.signing_key = tamper, signing_key or self.key
        try:
            yield
        finally:
            self.proxy.tamper, self.proxy.signing_key = None, self.key


@contextmanager
def running_provider(
    clients: list[dict], accounts: dict[str, dict], port: int | None = None
) -> Iterator[Provider]:
    """node-oidc-provider with these clients and accounts, behind a Tamperer."""
    ensure_node()
    key = new_key()
    proxy_port, provider_port = port or free_port(), free_port()
    issuer = f"http://127.0.0.1:{proxy_port}"
    config = {
        "issuer": issuer,
        "port": provider_port,
        "jwks": {"keys": [key.as_dict(private=True)]},
        "clients": clients,
        "accounts": accounts,
    }
    config_file = Path(tempfile.mkdtemp(prefix="unikom-oidc-")) / "provider.json"
    config_file.write_text(json.dumps(config), encoding="utf-8")
    node = subprocess.Popen(
        ["node", "provider.mjs", str(config_file)],
        cwd=PROVIDER_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    proxy = Tamperer(proxy_port, provider_port, key)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    try:
        # A bound on waiting, not a measure: on a busy two-core machine (both
        # test workers and a browser) Node once took over 30 s to start.
        output = _wait_for(node, "listening", timeout=120)
        yield Provider(issuer, key, proxy, output)
    finally:
        proxy.shutdown()
        proxy.server_close()
        node.terminate()
        node.wait(timeout=10)
        shutil.rmtree(config_file.parent, ignore_errors=True)


def _wait_for(process: subprocess.Popen, word: str, timeout: float) -> list[str]:
    lines: list[str] = []
    with selectors.DefaultSelector() as selector:
        selector.register(process.stdout, selectors.EVENT_READ)
        while True:
            if not selector.select(timeout):
                raise RuntimeError(f"the OIDC provider did not start: {lines}")
            line = process.stdout.readline()
            if not line:
                raise RuntimeError(f"the OIDC provider stopped: {lines}")
            lines.append(line.rstrip())
            if line.startswith(word):
                return lines


def sign_in_at_provider(authorize_url: str, login: str, stop_at: str) -> str:
    """Go through the provider's pages as a person would, without a browser: follow
    redirects, sign in as ``login`` and consent. Returns the first URL that starts with
    ``stop_at`` (unikom's callback, with code and state)."""
    browser = requests.Session()
    url = authorize_url
    for _step in range(20):
        if url.startswith(stop_at):
            return url
        answer = browser.get(url, allow_redirects=False, timeout=30)
        if answer.is_redirect:
            url = urljoin(url, answer.headers["Location"])
            continue
        assert answer.status_code == 200, answer.text
        action = re.search(r'<form[^>]*action="([^"]+)"', answer.text)
        assert action, answer.text
        if 'name="login"' in answer.text:
            data = {"prompt": "login", "login": login, "password": PASSWORD}
        else:
            data = {"prompt": "consent"}
        sent = browser.post(urljoin(url, action.group(1)), data=data, allow_redirects=False)
        assert sent.is_redirect, sent.text
        url = urljoin(url, sent.headers["Location"])
    raise AssertionError("the provider never sent the browser back")
