"""Fetch: download article pages and feeds over HTTP(S), safely, with an on-disk cache.

The only module that opens network connections. Every problem with one URL
raises :class:`SourceError` ("skipped URL: reason"); :func:`fetch_all` turns
those into warnings and goes on with the rest.

Why urllib3 directly rather than ``trafilatura.downloads.fetch_response``
(read in trafilatura 2.3.1): that function logs and returns ``None`` on every
failure, so a 404, a timeout and a refused address all look alike; its timeout
is one whole-second integer for connect and read; its back-off is half that
timeout (15 s by default) and it honours a ``Retry-After`` of up to 30 s; it
lets urllib3 follow redirects, so a loop or a redirect to ``file:`` is one more
anonymous failure; it caps only the *decoded* size; and it silently switches
to pycurl or a SOCKS proxy when those are installed or ``http_proxy`` is set.
Its SSRF guard (vet the peer address after connect, so DNS rebinding cannot
bypass it) is a good idea, and :class:`_PublicOnlyConnection` does the same.
"""

from __future__ import annotations

import contextlib
import hashlib
import http
import ipaddress
import json
import logging
import re
import socket
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

import urllib3
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.exceptions import (
    ConnectTimeoutError,
    HTTPError,
    NameResolutionError,
    NewConnectionError,
    ProtocolError,
    ReadTimeoutError,
    SSLError,
)

from briefing import __version__, settings
from briefing.errors import OutputError, SourceError, UsageError

# Imported here, not in write_cache: a first import inside the download threads
# held the import lock (and the GIL) while the others waited, which serialised
# a batch (four 1-second pages at concurrency 4 took 2.1 s instead of 1.0 s).
from briefing.output import write_files
from briefing.raw import RawDocument, WarnFn, is_binary
from briefing.settings import MAX_SOURCE_BYTES

LOGGER = logging.getLogger(__name__)

DEFAULT_USER_AGENT = f"Briefing/{__version__} (+offline news brief)"

#: Receives ``(done, total, failed)`` after each URL of a batch finishes.
ProgressFn = Callable[[int, int, int], None]

ALLOWED_SCHEMES = frozenset({"http", "https"})
#: Content types read as articles. Anything else named by the server is refused
#: before its body is read; a missing or generic type is sniffed instead.
ARTICLE_CONTENT_TYPES = frozenset(
    {"text/html", "application/xhtml+xml", "text/plain", "text/markdown"}
)
FEED_CONTENT_TYPES = frozenset(
    {"application/rss+xml", "application/atom+xml", "application/rdf+xml"}
)
XML_CONTENT_TYPES = frozenset({"application/xml", "text/xml"})
_SNIFFED_CONTENT_TYPES = frozenset({"", "application/octet-stream", "binary/octet-stream"})

_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_CHUNK = 64 * 1024

# The root element of RSS 0.9x/2.0, Atom and RSS 1.0 (RDF), after an optional
# BOM, XML declaration, comments, processing instructions and doctype.
_FEED_ROOT = re.compile(
    rb"^(?:\xef\xbb\xbf)?(?:\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE[^>]*>)*"
    rb"<(?:rss|feed|(?:[\w-]+:)?RDF)[\s>/]",
    re.DOTALL | re.IGNORECASE,
)


def default_cache_dir() -> Path:
    """``$XDG_CACHE_HOME/briefing`` (``~/.cache/briefing``) or the platform's equivalent."""
    import platformdirs

    return Path(platformdirs.user_cache_dir("briefing"))


@dataclass(frozen=True)
class FetchOptions:
    """Limits and switches for downloading sources. All times are in seconds."""

    connect_timeout: float = settings.CONNECT_TIMEOUT
    #: Longest wait for any single read from the server (not the whole body).
    read_timeout: float = settings.READ_TIMEOUT
    #: Longest time one URL may take, redirects, retries and body included; it
    #: stops a server that trickles bytes just fast enough to beat read_timeout.
    total_timeout: float = settings.TOTAL_TIMEOUT
    #: Cap on the body as sent (compressed) and as decoded, checked while streaming.
    max_bytes: int = MAX_SOURCE_BYTES
    max_redirects: int = settings.MAX_REDIRECTS
    user_agent: str = DEFAULT_USER_AGENT
    #: Downloads in flight at once.
    concurrency: int = settings.FETCH_CONCURRENCY
    #: Extra attempts after a 429 or 5xx answer.
    retries: int = settings.FETCH_RETRIES
    #: First back-off delay; doubled on each retry.
    backoff: float = settings.FETCH_BACKOFF
    #: A Retry-After up to this long is honoured; a longer one ends the retries.
    max_retry_after: float = settings.MAX_RETRY_AFTER
    cache_dir: Path = field(default_factory=default_cache_dir)
    #: Download again even when the cache holds the URL.
    refresh: bool = False
    #: A cached feed older than this many seconds is downloaded again (None: never):
    #: a feed changes through the day, an article hardly ever.
    feed_max_age: float | None = settings.FEED_MAX_AGE
    #: The same for a cached article page; None keeps it for good.
    article_max_age: float | None = None
    #: Allow loopback, private, link-local and reserved addresses (intranet, tests).
    allow_private: bool = False

    def __post_init__(self) -> None:
        for name in ("connect_timeout", "read_timeout", "total_timeout"):
            if getattr(self, name) <= 0:
                raise UsageError(f"{name} must be positive, not {getattr(self, name)}")
        if self.max_bytes <= 0:
            raise UsageError(f"max_bytes must be positive, not {self.max_bytes}")
        if self.concurrency < 1:
            raise UsageError(f"concurrency must be at least 1, not {self.concurrency}")
        for name in ("max_redirects", "retries"):
            if getattr(self, name) < 0:
                raise UsageError(f"{name} must not be negative, not {getattr(self, name)}")
        if self.backoff < 0 or self.max_retry_after < 0:
            raise UsageError("backoff and max_retry_after must not be negative")
        for name in ("feed_max_age", "article_max_age"):
            if (getattr(self, name) or 0) < 0:
                raise UsageError(f"{name} must not be negative, not {getattr(self, name)}")

    @classmethod
    def for_command(cls, timeout: float = settings.FETCH_TIMEOUT, **changes: Any) -> FetchOptions:
        """The options of a command (``build``'s ``--timeout``, a daily config's ``[fetch] timeout``).

        One rule for both: ``timeout`` bounds connecting and each read, and one
        URL may take three times that, at least :data:`settings.TOTAL_TIMEOUT`.
        ``changes`` set the other fields (cache folder, refresh, max ages).
        """
        return cls(connect_timeout=timeout, read_timeout=timeout,
                   total_timeout=max(settings.TOTAL_TIMEOUT, 3 * timeout), **changes)


# --------------------------------------------------------------------------- content types


def media_type(content_type: str | None) -> str:
    """``"text/html; charset=utf-8"`` → ``"text/html"``; missing → ``""``."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def looks_like_feed(data: bytes) -> bool:
    """True when the document's root element is ``<rss>``, ``<feed>`` or ``<rdf:RDF>``."""
    return _FEED_ROOT.match(data[:4096]) is not None


def is_feed(raw: RawDocument) -> bool:
    """A feed by its content type, or by its root element whatever the server says."""
    return media_type(raw.content_type) in FEED_CONTENT_TYPES or looks_like_feed(raw.data)


def _refuse_content_type(where: str, content_type: str | None) -> None:
    """Refuse images, PDFs, archives and the like before reading their bodies."""
    kind = media_type(content_type)
    if (
        kind in ARTICLE_CONTENT_TYPES
        or kind in FEED_CONTENT_TYPES
        or kind in XML_CONTENT_TYPES
        or kind in _SNIFFED_CONTENT_TYPES
    ):
        return
    raise SourceError(where, f"not an article (content-type {kind})")


def _check_body(where: str, content_type: str | None, data: bytes) -> None:
    """Refuse bodies that turn out not to be an article or a feed once read."""
    kind = media_type(content_type)
    if kind in _SNIFFED_CONTENT_TYPES and is_binary(data):
        label = kind or "missing"
        raise SourceError(where, f"not an article (content-type {label}, binary content)")
    # Generic XML is fine when it is a feed; a sitemap or SOAP reply is not an article.
    if kind in XML_CONTENT_TYPES and not looks_like_feed(data):
        raise SourceError(where, f"not an article (content-type {kind}, not a feed)")


# --------------------------------------------------------------------------- addresses


def _normalize_ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    ip = ipaddress.ip_address(text.split("%", 1)[0])  # drop an IPv6 zone id
    # ::ffff:127.0.0.1 must be judged as 127.0.0.1.
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def is_public_address(text: str) -> bool:
    """True for a globally routable unicast address (not loopback, private, link-local…)."""
    ip = _normalize_ip(text)
    return ip.is_global and not ip.is_multicast and not ip.is_reserved


def check_url(url: str, *, allow_private: bool, where: str | None = None) -> None:
    """Refuse a URL that is not http(s), or whose host resolves to a non-public address.

    Every address the name resolves to is checked: a name with one public and
    one private address could be connected to either.
    """
    where = where or url
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise SourceError(where, f"invalid URL ({exc})") from exc
    scheme = parts.scheme.lower()
    if scheme not in ALLOWED_SCHEMES:
        shown = f"'{scheme}:'" if scheme else "none"
        raise SourceError(where, f"unsupported URL scheme {shown} (only http and https)")
    host = parts.hostname
    if not host:
        raise SourceError(where, "invalid URL (no host)")
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(
            host, port or (443 if scheme == "https" else 80), type=socket.SOCK_STREAM
        )
    except (socket.gaierror, UnicodeError) as exc:
        raise SourceError(where, f"cannot resolve host {host}") from exc
    for info in infos:
        address = str(info[4][0])
        if not is_public_address(address):
            raise SourceError(
                where,
                f"refused non-public address {_normalize_ip(address)} for host {host} "
                "(allow with --allow-private)",
            )


#: The download running in this thread; its connection reports the socket it
#: waits on, so a watchdog can cut a server that trickles bytes (see _Download.abort).
_CURRENT = threading.local()


class _WatchedConnection(HTTPConnection):
    """Tells the current download which socket it is about to wait on."""

    # A private urllib3 hook, as in _PublicOnlyConnection: the new socket is
    # watched before the TLS handshake, which could trickle too.
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        download = getattr(_CURRENT, "download", None)
        if download is not None:
            download.watch(sock)
        return sock

    def getresponse(self, *args: Any, **kwargs: Any) -> Any:
        download = getattr(_CURRENT, "download", None)
        if download is not None:
            download.watch(self.sock)
        return super().getresponse(*args, **kwargs)


class _WatchedHTTPSConnection(_WatchedConnection, HTTPSConnection):
    pass


class _WatchedHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _WatchedConnection


class _WatchedHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _BlockedAddressError(NewConnectionError):
    """The socket connected to a non-public address (e.g. after DNS rebinding)."""

    def __init__(self, conn: HTTPConnection, address: str) -> None:
        super().__init__(conn, f"refused non-public address {address}")
        self.address = address


class _PublicOnlyConnection(_WatchedConnection):
    """Checks the address actually connected to, so a changed DNS answer cannot slip by."""

    # Overrides a private urllib3 hook (as trafilatura does): it is the one
    # place that sees the connected socket before any byte is sent.
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        peer = str(sock.getpeername()[0])
        if not is_public_address(peer):
            sock.close()
            raise _BlockedAddressError(self, str(_normalize_ip(peer)))
        return sock


class _PublicOnlyHTTPSConnection(_PublicOnlyConnection, HTTPSConnection):
    pass


class _PublicOnlyHTTPPool(urllib3.HTTPConnectionPool):
    ConnectionCls = _PublicOnlyConnection


class _PublicOnlyHTTPSPool(urllib3.HTTPSConnectionPool):
    ConnectionCls = _PublicOnlyHTTPSConnection


def _make_pool(options: FetchOptions) -> urllib3.PoolManager:
    """One connection pool per batch; certificates always verified, no insecure fallback."""
    import certifi

    pool = urllib3.PoolManager(
        num_pools=16,
        maxsize=max(1, options.concurrency),
        cert_reqs="CERT_REQUIRED",
        ca_certs=certifi.where(),
    )
    if not options.allow_private:
        pool.pool_classes_by_scheme = {"http": _PublicOnlyHTTPPool, "https": _PublicOnlyHTTPSPool}
    else:
        pool.pool_classes_by_scheme = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}
    return pool


# --------------------------------------------------------------------------- cache


def cache_key(url: str) -> str:
    """The cache file stem for a URL: the SHA-256 of the URL as given."""
    return hashlib.sha256(url.encode("utf-8")).hexdigest()


def _cache_paths(cache_dir: Path, url: str) -> tuple[Path, Path]:
    stem = cache_dir / "http" / cache_key(url)
    return stem.with_suffix(".body"), stem.with_suffix(".json")


def parse_max_age(text: str) -> float:
    """``"30m"``, ``"6h"``, ``"2d"``, ``"90s"`` or plain seconds → seconds. Raises UsageError."""
    match = _MAX_AGE.fullmatch(text.strip().lower())
    if match is None:
        raise UsageError(f"--max-age {text!r} is not a duration such as 30m, 6h or 2d")
    return float(match.group(1)) * _AGE_UNITS[match.group(2) or "s"]


_MAX_AGE = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)")
_AGE_UNITS = {"s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0}


def _expired(meta: dict[str, object], doc: RawDocument, options: FetchOptions) -> bool:
    """True when a cached copy is older than the max age for its kind (feed or article)."""
    max_age = options.feed_max_age if is_feed(doc) else options.article_max_age
    if max_age is None:
        return False
    try:
        fetched = datetime.fromisoformat(str(meta.get("fetched_at")))
    except ValueError:
        return True  # an entry without a readable time cannot show it is fresh
    return (datetime.now(UTC) - fetched).total_seconds() > max_age


def read_cache(url: str, cache_dir: Path, options: FetchOptions | None = None) -> RawDocument | None:
    """The cached document for ``url``, or None when absent, inconsistent or (given
    ``options``) older than its max age."""
    body_path, meta_path = _cache_paths(cache_dir, url)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        data = body_path.read_bytes()
    except (OSError, ValueError):
        return None
    # The body and its metadata are two renames; a crash or a concurrent run
    # between them leaves a pair that does not match, which counts as a miss.
    if not isinstance(meta, dict) or meta.get("sha256") != hashlib.sha256(data).hexdigest():
        return None
    doc = RawDocument(
        data=data, url=str(meta.get("final_url") or url), content_type=meta.get("content_type")
    )
    if options is not None and _expired(meta, doc, options):
        return None
    return doc


def write_cache(url: str, doc: RawDocument, status: int, cache_dir: Path) -> None:
    """Store a fetched document: the body bytes and a small JSON describing them.

    Both are written atomically (temp file, fsync, rename). Raises
    :class:`~briefing.errors.OutputError` when the cache cannot be written.
    """
    body_path, meta_path = _cache_paths(cache_dir, url)
    meta = {
        "url": url,
        "final_url": doc.url,
        "content_type": doc.content_type,
        "status": status,
        "fetched_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "size": len(doc.data),
        "sha256": hashlib.sha256(doc.data).hexdigest(),
    }
    write_files(body_path.parent, {
        body_path.name: doc.data,
        meta_path.name: json.dumps(meta, indent=1, sort_keys=True).encode("utf-8"),
    })


# --------------------------------------------------------------------------- download


def _size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    return f"{size / 1024:.0f} KB"


def _retry_delay(header: str | None, attempt: int, options: FetchOptions) -> float | None:
    """Seconds to wait before the next attempt, or None when the server asks for too long."""
    wait: float | None = None
    header = (header or "").strip()
    if header.isdigit():
        wait = float(header)
    elif header:
        try:  # the other form: an HTTP date
            wait = (parsedate_to_datetime(header) - datetime.now(UTC)).total_seconds()
        except (TypeError, ValueError):
            wait = None
    if wait is None:
        return options.backoff * 2.0**attempt
    return max(0.0, wait) if wait <= options.max_retry_after else None


class _Download:
    """One URL's journey: redirects, retries, body; bounded by ``options`` throughout."""

    def __init__(self, url: str, options: FetchOptions, pool: urllib3.PoolManager) -> None:
        self.url = url
        self.options = options
        self.pool = pool
        self.deadline = time.monotonic() + options.total_timeout
        #: Set by abort(): the deadline passed, or the batch was cancelled (Ctrl-C, SIGTERM).
        self.stopped = threading.Event()
        self.expired = False
        self._sock: socket.socket | None = None
        self._lock = threading.Lock()
        self.headers = {
            "User-Agent": options.user_agent,
            # Only gzip: the one encoding decoded here, under the size cap.
            "Accept-Encoding": "gzip",
            "Accept": "text/html,application/xhtml+xml,application/rss+xml,"
            "application/atom+xml,application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.1",
        }

    def fail(self, reason: str) -> SourceError:
        return SourceError(self.url, reason)

    def check_deadline(self) -> None:
        if self.stopped.is_set() or time.monotonic() > self.deadline:
            reason = "cancelled" if self.stopped.is_set() and not self.expired else None
            raise self.fail(reason or f"took longer than {self.options.total_timeout:g} s")

    def watch(self, sock: socket.socket | None) -> None:
        """Remember the socket the download waits on (called from its connection)."""
        with self._lock:
            self._sock = sock
            if self.stopped.is_set():
                self._cut()

    def abort(self, *, expired: bool = False) -> None:
        """Stop the download from another thread: shut its socket so a blocked read returns now.

        A server that sends one byte every few seconds never trips the per-read
        timeout; this is what holds the deadline on the whole download.
        """
        with self._lock:
            self.expired = self.expired or expired
            self.stopped.set()
            self._cut()

    def _cut(self) -> None:
        if self._sock is not None:
            with contextlib.suppress(OSError):
                self._sock.shutdown(socket.SHUT_RDWR)

    def run(self) -> tuple[RawDocument, int]:
        """The document and its status; the whole download ends by the deadline."""
        watchdog = threading.Timer(self.options.total_timeout, self.abort, kwargs={"expired": True})
        watchdog.daemon = True
        previous = getattr(_CURRENT, "download", None)
        _CURRENT.download = self
        watchdog.start()
        try:
            return self._run()
        finally:
            watchdog.cancel()
            _CURRENT.download = previous

    def _run(self) -> tuple[RawDocument, int]:
        current = self.url
        seen = {urldefrag(current).url}
        for _ in range(self.options.max_redirects + 1):
            check_url(current, allow_private=self.options.allow_private, where=self.url)
            response = self.request(current)
            try:
                if response.status in _REDIRECT_STATUSES and response.headers.get("Location"):
                    target = urldefrag(urljoin(current, response.headers["Location"])).url
                    if target in seen:
                        raise self.fail(f"redirect loop at {target}")
                    seen.add(target)
                    current = target
                    continue
                if not 200 <= response.status < 300:
                    raise self.fail(_status_text(response.status))
                content_type = response.headers.get("Content-Type")
                _refuse_content_type(self.url, content_type)
                data = self.read_body(response)
            finally:
                response.close()
                response.release_conn()
            _check_body(self.url, content_type, data)
            return RawDocument(data=data, url=current, content_type=content_type), response.status
        raise self.fail(f"too many redirects (more than {self.options.max_redirects})")

    def request(self, url: str) -> urllib3.BaseHTTPResponse:
        """GET with retries on 429/5xx; redirects are returned, not followed."""
        options = self.options
        timeout = urllib3.Timeout(connect=options.connect_timeout, read=options.read_timeout)
        attempt = 0
        while True:
            self.check_deadline()
            try:
                # retries=False: urllib3 raises the real error (refused, timed out)
                # instead of a MaxRetryError that hides it; redirect=False: each
                # hop is checked in run() before it is followed.
                response = self.pool.urlopen(
                    "GET", url, headers=self.headers, timeout=timeout, retries=False,
                    redirect=False, preload_content=False, decode_content=False,
                )
            except (HTTPError, OSError, ValueError) as exc:
                self.check_deadline()  # a cut socket shows as a broken connection: say why
                raise self.fail(_error_text(exc, options)) from exc
            if self.stopped.is_set():
                response.close()
                self.check_deadline()
            if response.status not in _RETRY_STATUSES or attempt >= options.retries:
                return response
            delay = _retry_delay(response.headers.get("Retry-After"), attempt, options)
            if delay is None or time.monotonic() + delay > self.deadline:
                return response  # the server wants more time than we give: report its status
            response.close()
            response.release_conn()
            self.stopped.wait(delay)
            attempt += 1

    def read_body(self, response: urllib3.BaseHTTPResponse) -> bytes:
        """Stream the body, capping both the bytes received and the bytes decoded."""
        limit = self.options.max_bytes
        over = f"over the {_size(limit)} limit per source"
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise self.fail(f"{_size(int(declared))} is {over}")
        encoding = response.headers.get("Content-Encoding", "identity").strip().lower()
        decoder: zlib._Decompress | None = None
        if encoding in ("gzip", "x-gzip", "deflate"):
            # 32 + MAX_WBITS accepts both gzip and zlib headers.
            decoder = zlib.decompressobj(32 + zlib.MAX_WBITS)
        elif encoding not in ("", "identity"):
            raise self.fail(f"unsupported content-encoding {encoding}")
        received = 0
        body = bytearray()
        try:
            for chunk in response.stream(_CHUNK, decode_content=False):
                received += len(chunk)
                if received > limit:
                    raise self.fail(over)
                if decoder is None:
                    body += chunk
                else:
                    # max_length bounds what one chunk may inflate to: a gzip
                    # bomb stops at the cap instead of filling memory first.
                    body += decoder.decompress(chunk, limit - len(body) + 1)
                    if decoder.unconsumed_tail:
                        raise self.fail(f"{over} (decompressed)")
                if len(body) > limit:
                    raise self.fail(f"{over} (decompressed)" if decoder else over)
                self.check_deadline()
            # A body cut short by abort() looks like an early end: never use it.
            self.check_deadline()
            if decoder is not None:
                body += decoder.flush()
                if len(body) > limit:
                    raise self.fail(f"{over} (decompressed)")
        except zlib.error as exc:
            self.check_deadline()
            raise self.fail(f"corrupt {encoding} body") from exc
        except (HTTPError, OSError) as exc:
            self.check_deadline()
            raise self.fail(_error_text(exc, self.options)) from exc
        return bytes(body)


def _status_text(status: int) -> str:
    try:
        return f"HTTP {status} {http.HTTPStatus(status).phrase}"
    except ValueError:
        return f"HTTP {status}"


def _error_text(exc: BaseException, options: FetchOptions) -> str:
    """A short, one-line reason for a network error."""
    if isinstance(exc, _BlockedAddressError):
        return f"refused non-public address {exc.address} (allow with --allow-private)"
    if isinstance(exc, NameResolutionError):
        return f"cannot resolve host {exc.conn.host}"
    if isinstance(exc, NewConnectionError):  # before ConnectTimeoutError: it is a subclass
        cause = exc.__cause__
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        return f"cannot connect ({cause or 'no address'})"
    if isinstance(exc, ConnectTimeoutError):
        return f"connection timed out after {options.connect_timeout:g} s"
    if isinstance(exc, ReadTimeoutError | TimeoutError):
        return f"no response within {options.read_timeout:g} s (read timeout)"
    if isinstance(exc, SSLError):
        return f"TLS error ({exc})"
    if isinstance(exc, ProtocolError):
        return "connection broken"
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


# --------------------------------------------------------------------------- public API


def fetch_url(url: str, options: FetchOptions | None = None) -> RawDocument:
    """Download one article page or feed, or take it from the cache.

    Raises :class:`SourceError` ("skipped URL: reason") for a refused scheme or
    address, an HTTP error, a timeout, an oversized body or a non-article
    content type.
    """
    options = options or FetchOptions()
    pool = _make_pool(options)
    try:
        return _fetch_cached(url, options, pool)
    finally:
        pool.clear()


def _fetch_cached(
    url: str, options: FetchOptions, pool: urllib3.PoolManager, running: _Running | None = None
) -> RawDocument:
    # The scheme is refused before the cache is consulted, so a cache can
    # never turn a file: or javascript: URL into a document.
    check_url(url, allow_private=True)
    if not options.refresh:
        cached = read_cache(url, options.cache_dir, options)
        if cached is not None:
            return cached
    download = _Download(url, options, pool)
    if running is None:
        doc, status = download.run()
    else:
        with running.track(download):
            doc, status = download.run()
    try:
        write_cache(url, doc, status, options.cache_dir)
    except OutputError as exc:
        # A cache that cannot be written costs a refetch next time, not this source.
        LOGGER.warning("cannot write the cache for %s: %s", url, exc)
    return doc


class _Running:
    """The downloads of one batch that are in flight, so that Ctrl-C or SIGTERM can cut them all."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._downloads: set[_Download] = set()
        self.cancelled = False

    @contextlib.contextmanager
    def track(self, download: _Download) -> Iterator[None]:
        with self._lock:
            self._downloads.add(download)
            if self.cancelled:
                download.abort()
        try:
            yield
        finally:
            with self._lock:
                self._downloads.discard(download)

    def cancel(self) -> None:
        with self._lock:
            self.cancelled = True
            for download in self._downloads:
                download.abort()


def fetch_many(
    urls: Sequence[str], options: FetchOptions, *, progress: ProgressFn | None = None
) -> list[RawDocument | SourceError]:
    """Fetch URLs with bounded concurrency; one result or error per URL, in input order."""
    unique = list(dict.fromkeys(urls))
    if not unique:
        return []
    results: dict[str, RawDocument | SourceError] = {}
    pool = _make_pool(options)
    executor = ThreadPoolExecutor(max_workers=min(options.concurrency, len(unique)))
    running = _Running()
    try:
        futures: dict[Future[RawDocument], str] = {
            executor.submit(_fetch_cached, url, options, pool, running): url for url in unique
        }
        failed = 0
        for done, future in enumerate(as_completed(futures), start=1):
            try:
                results[futures[future]] = future.result()
            except SourceError as exc:
                results[futures[future]] = exc
                failed += 1
            if progress is not None:
                progress(done, len(unique), failed)
    except BaseException:
        # Ctrl-C or SIGTERM: drop the queued URLs and cut the running ones (their
        # sockets are shut), so the threads end now and the process can exit;
        # a server trickling bytes would otherwise hold the exit until it closes.
        running.cancel()
        executor.shutdown(wait=False, cancel_futures=True)
        raise
    executor.shutdown()
    pool.clear()
    return [results[url] for url in urls]


def fetch_all(
    urls: Sequence[str],
    options: FetchOptions | None = None,
    *,
    warn: WarnFn | None = None,
    progress: ProgressFn | None = None,
) -> list[RawDocument]:
    """Fetch several URLs at once; the documents that arrived, in input order.

    Each failure becomes one warning "skipped URL: reason" (in input order,
    after the batch) and the others are still returned. A URL given twice is
    fetched once and returned once.
    """
    options = options or FetchOptions()
    docs: list[RawDocument] = []
    seen: set[str] = set()
    for url, result in zip(urls, fetch_many(urls, options, progress=progress), strict=True):
        if url in seen:
            continue
        seen.add(url)
        if isinstance(result, SourceError):
            if warn is not None:
                warn(str(result))
        else:
            docs.append(result)
    return docs
