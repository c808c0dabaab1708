"""A small round-robin reverse proxy on loopback, standing in for nginx in the
deployment test (docs/deployment.md shows the nginx configuration it mimics).

Each request goes to the next app server in turn; one that refuses the
connection is skipped (nginx: ``proxy_next_upstream error``). The proxy
replaces ``X-Forwarded-For`` and ``X-Forwarded-Proto`` — never appends to what
the client sent — and says which server answered in ``X-Upstream``.
"""

from __future__ import annotations

import http.client
import itertools
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HOP_BY_HOP = {
    "connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
    "transfer-encoding", "upgrade", "content-length", "x-forwarded-for", "x-forwarded-proto",
}  # fmt: skip


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def _forward(self) -> None:
        proxy = self.server.proxy
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP}
        headers["X-Forwarded-For"] = self.client_address[0]
        headers["X-Forwarded-Proto"] = proxy.scheme
        if body is not None:
            headers["Content-Length"] = str(len(body))
        for port in proxy.order():
            upstream = http.client.HTTPConnection("127.0.0.1", port, timeout=proxy.timeout)
            try:
                upstream.connect()
            except ConnectionRefusedError:
                continue  # that server is down: the next one
            try:
                upstream.request(self.command, self.path, body=body, headers=headers)
                answer = upstream.getresponse()
                content = answer.read()
            finally:
                upstream.close()
            proxy.count(port)
            self.send_response(answer.status)
            for name, value in answer.getheaders():
                if name.lower() not in HOP_BY_HOP:
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(content)))
            self.send_header("X-Upstream", str(port))
            self.end_headers()
            self.wfile.write(content)
            return
        self.send_error(502, "no app server answers")

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = do_HEAD = do_OPTIONS = _forward

    def log_message(self, format, *args):
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    proxy: RoundRobinProxy


class RoundRobinProxy:
    def __init__(self, ports: list[int], *, scheme: str = "https", timeout: float = 60):
        self.ports = ports
        self.scheme = scheme  # what the proxy tells the app the client used (TLS ends here)
        self.timeout = timeout
        self.served = Counter()  # answers per app server port
        self._turn = itertools.count()
        self._lock = threading.Lock()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.proxy = self
        self.port = self._server.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def order(self) -> list[int]:
        """The app servers to try for one request: the next in turn first."""
        with self._lock:
            start = next(self._turn) % len(self.ports)
        return self.ports[start:] + self.ports[:start]

    def count(self, port: int) -> None:
        with self._lock:
            self.served[port] += 1

    def __enter__(self) -> RoundRobinProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._server.shutdown()
        self._server.server_close()
