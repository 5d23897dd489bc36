"""Hostile servers on 127.0.0.1 for the robustness tests, started and stopped by each test."""

from __future__ import annotations

import contextlib
import http.server
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any, Self
from urllib.parse import urlsplit


class _Listener:
    """A TCP listener on 127.0.0.1 that hands each connection to :meth:`_answer` in a thread."""

    def __init__(self) -> None:
        self.accepted = 0
        self._stop = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.port: int = self._listener.getsockname()[1]
        self._threads: list[threading.Thread] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> Self:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join(5)
        for thread in self._threads:
            thread.join(5)
        self._listener.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self.accepted += 1
            thread = threading.Thread(target=self._answer, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _answer(self, conn: socket.socket) -> None:
        raise NotImplementedError


class TrickleServer(_Listener):
    """Answers every connection one byte at a time, ``interval`` seconds apart.

    ``headers_first`` sends a whole, valid header block at once and trickles the
    body; otherwise the status line itself trickles. ``accepted`` counts connections.
    """

    def __init__(self, *, interval: float, headers_first: bool = True) -> None:
        super().__init__()
        self.interval = interval
        self.headers_first = headers_first
        self.requested = threading.Event()

    def url(self, path: str = "/slow.html") -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def _answer(self, conn: socket.socket) -> None:
        body = b"<html><body><p>" + b"Slow news. " * 2000 + b"</p></body></html>"
        head = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n"
                b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
        with contextlib.closing(conn):
            conn.settimeout(1)
            with contextlib.suppress(OSError):
                conn.recv(65536)
            self.requested.set()
            if self.headers_first:
                with contextlib.suppress(OSError):
                    conn.sendall(head)
                rest = body
            else:
                rest = head + body
            for byte in rest:
                if self._stop.wait(self.interval):
                    return
                try:
                    conn.sendall(bytes([byte]))
                except OSError:
                    return


class PageServer:
    """A plain HTTP server: ``pages`` maps a path (query string ignored) to (content type, bytes)."""

    def __init__(self, pages: dict[str, tuple[str, bytes]]) -> None:
        self.pages = pages
        self.hits = 0
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:
                owner.hits += 1
                page = owner.pages.get(urlsplit(self.path).path)
                if page is None:
                    self.send_error(404)
                    return
                kind, data = page
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def __enter__(self) -> PageServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)


@contextlib.contextmanager
def elapsed() -> Iterator[Callable[[], float]]:
    """``with elapsed() as took: ...; took()`` gives the seconds the block ran."""
    start = time.monotonic()
    end: list[float] = []
    try:
        yield lambda: (end[0] if end else time.monotonic()) - start
    finally:
        end.append(time.monotonic())


class ScriptedSMTP(_Listener):
    """A minimal SMTP server on 127.0.0.1 that misbehaves on purpose.

    ``auth``: ``"check"`` accepts AUTH PLAIN only for ``credentials`` (compared as
    UTF-8 bytes), ``"echo"`` refuses every AUTH by quoting the line back, and
    ``"echo334"`` keeps answering 334 with the line quoted. ``data_delay``: seconds
    to wait before answering the message (it is stored on arrival), as a server
    that keeps the mail but answers too late.
    """

    def __init__(self, *, auth: str = "check", credentials: tuple[str, str] = ("", ""),
                 data_delay: float = 0.0, mechanisms: str = "PLAIN LOGIN") -> None:
        super().__init__()
        self.auth = auth
        self.mechanisms = mechanisms
        self.credentials = credentials
        self.data_delay = data_delay
        self.messages: list[bytes] = []
        self.auth_lines: list[str] = []

    def _answer(self, conn: socket.socket) -> None:
        with contextlib.closing(conn), conn.makefile("rb") as reader:
            def say(line: str) -> None:
                conn.sendall(line.encode() + b"\r\n")

            try:
                say("220 scripted ESMTP")
                while not self._stop.is_set():
                    raw = reader.readline()
                    if not raw:
                        return
                    line = raw.decode("utf-8", "replace").rstrip("\r\n")
                    verb = line.split(" ", 1)[0].upper()
                    if verb in ("EHLO", "HELO"):
                        conn.sendall(f"250-scripted\r\n250-AUTH {self.mechanisms}\r\n250 8BITMIME\r\n".encode())
                    elif verb == "AUTH":
                        self._auth(line, reader, say)
                    elif verb == "DATA":
                        say("354 go ahead")
                        body = bytearray()
                        while not body.endswith(b"\r\n.\r\n"):
                            chunk = reader.readline()
                            if not chunk:
                                return
                            body += chunk
                        self.messages.append(bytes(body))
                        if self._stop.wait(self.data_delay):
                            return
                        say("250 2.0.0 queued")
                    elif verb == "QUIT":
                        say("221 bye")
                        return
                    else:
                        say("250 ok")
            except OSError:
                return

    def _auth(self, line: str, reader: Any, say: Callable[[str], None]) -> None:
        import base64

        self.auth_lines.append(line)
        if self.auth == "echo":
            say(f"535 5.7.8 authentication failed for: {line}")
        elif self.auth == "echo334":
            for _ in range(8):
                say(f"334 {line}")
                line = reader.readline().decode("utf-8", "replace").rstrip("\r\n")
                self.auth_lines.append(line)
            say(f"535 5.7.8 no: {line}")
        else:
            parts = line.split(" ")
            blob = parts[2] if len(parts) > 2 else ""
            user, password = self.credentials
            expected = b"\0" + user.encode() + b"\0" + password.encode()
            ok = parts[1].upper() == "PLAIN" and base64.b64decode(blob or "=") == expected
            say("235 2.7.0 accepted" if ok else "535 5.7.8 refused")
