"""Who may talk to the server, and that forms come from our own pages.

* **Binding**: ``sourcebook serve`` listens on 127.0.0.1 unless told otherwise; any other address
  needs a token (``--token`` or ``$SOURCEBOOK_TOKEN``), and :func:`check_bind` refuses to start
  without one.
* **Token**: when the app has one, every request (pages, static files, exports, posts) must carry it:
  an ``Authorization: Bearer TOKEN`` header, or the ``sb_token`` cookie that a visit to any page with
  ``?token=TOKEN`` sets (HttpOnly, SameSite=Strict) before redirecting to the same address without
  the token.  Anything else gets 401.
* **Host** (DNS rebinding): without a token, a request must name this server in its ``Host``
  header: ``127.0.0.1``, ``localhost``, ``[::1]`` or the ``--host`` address, with the port it
  listens on (any port when the app is not told one).  A page of another site whose name resolves
  to 127.0.0.1 sends its own name and gets 400.  (Starlette's TrustedHostMiddleware ignores ports
  and misreads ``[::1]:8000``; the check here is a few lines.)  With a token the check is off: the
  token cookie is ``SameSite=Strict`` and never goes with a request from another site, and a
  server reachable from other machines is reached under names we cannot list.
* **Token strength**: at least 16 characters, no white space or control characters, at least 8
  different ones.  The ``?token=`` redirect goes only to a local path of this server.
* **CSRF**: every browser gets a random session cookie (``sb_session``, HttpOnly, SameSite=Strict);
  every POST must send ``csrf`` (a form field) or ``X-CSRF-Token`` (a header) equal to an HMAC of
  that session under the app's secret, and a cross-site ``Origin`` is refused.  The pages put the
  value in every form and in ``<meta name="csrf-token">``.
* **Errors**: an exception inside the app still gets a 500 page with the headers below (it is
  then raised again, to be logged).
* **Headers**: a Content-Security-Policy that allows only our own scripts, styles and images (no
  inline script, no CDN), ``nosniff``, no framing, no referrer sent to other sites
  (``same-origin``; ``no-referrer`` would make browsers send ``Origin: null`` on our own posts).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from http.cookies import SimpleCookie
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from fastapi import HTTPException, Request

from ..errors import SourcebookError

ENV_TOKEN = "SOURCEBOOK_TOKEN"
TOKEN_COOKIE = "sb_token"
SESSION_COOKIE = "sb_session"
CSRF_FIELD = "csrf"
CSRF_HEADER = "x-csrf-token"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class ServeError(SourcebookError):
    """The server cannot start as asked (one line)."""

    reason = "serve"


def is_loopback(host: str) -> bool:
    h = (host or "").strip().strip("[]")
    if h == "localhost":
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


MIN_TOKEN_CHARS = 16
MIN_TOKEN_DISTINCT = 8
_MAKE_TOKEN = "e.g. python3 -c 'import secrets; print(secrets.token_urlsafe())'"
#: Host names a server on a loopback address answers to without a token.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


def check_bind(host: str, token: str | None) -> None:
    """Refuse to listen beyond this machine without a token, and refuse a weak token."""
    if not is_loopback(host) and not token:
        raise ServeError(f"--host {host} makes the UI reachable from other machines: give a --token "
                         f"(or set ${ENV_TOKEN}); every request will then need it")
    if token is not None:
        check_token(token)


def check_token(token: str) -> None:
    """A token must be long, varied and printable: :data:`MIN_TOKEN_CHARS` characters or more."""
    if any(ch.isspace() or not ch.isprintable() for ch in token):
        raise ServeError(f"the token holds white space or control characters: use letters, digits and "
                         f"punctuation ({_MAKE_TOKEN})")
    if len(token) < MIN_TOKEN_CHARS:
        raise ServeError(f"the token is too short: use at least {MIN_TOKEN_CHARS} characters ({_MAKE_TOKEN})")
    if len(set(token)) < MIN_TOKEN_DISTINCT:
        raise ServeError(f"the token is too easy to guess (fewer than {MIN_TOKEN_DISTINCT} different characters; "
                         f"{_MAKE_TOKEN})")


def host_names(host: str | None = None) -> frozenset[str]:
    """The host names (lower case, IPv6 in brackets) a server bound to ``host`` answers to."""
    names = set(LOOPBACK_NAMES)
    if host:
        h = host.strip().lower().strip("[]")
        names.add(f"[{h}]" if ":" in h else h)
    return frozenset(names)


def split_host(value: str) -> tuple[str, int | None] | None:
    """``Host`` header -> ``(name, port)``, name lower case, IPv6 in brackets; None when malformed."""
    value = value.strip().lower()
    if value.startswith("["):
        name, _, rest = value.partition("]")
        name += "]"
        port = rest[1:] if rest.startswith(":") else (None if not rest else "x")
    else:
        name, _, port = value.partition(":")
        port = port if _ else None
    if port is not None and not (port.isdigit() and len(port) <= 5):
        return None
    return name.rstrip("."), int(port) if port is not None else None


def host_ok(value: str | None, names: frozenset[str], port: int | None) -> bool:
    """Whether a ``Host`` header names this server: one of ``names``, on ``port`` (any when None;
    no port in the header means 80)."""
    parsed = split_host(value or "")
    if parsed is None or parsed[0] not in names:
        return False
    return port is None or (parsed[1] or 80) == port


def safe_next(value: str | None, default: str = "/") -> str:
    """A local path to go to (never another site: no scheme, no ``//host``, no backslash)."""
    if not value:
        return default
    try:
        parts = urlsplit(value)
    except ValueError:
        return default
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return default
    return value


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def csrf_token(secret: bytes, session: str) -> str:
    return hmac.new(secret, b"csrf:" + session.encode("ascii", "replace"), hashlib.sha256).hexdigest()


def csrf_ok(secret: bytes, session: str | None, supplied: str | None) -> bool:
    if not session or not supplied:
        return False
    return hmac.compare_digest(csrf_token(secret, session), supplied)


def _cookies(headers: list[tuple[bytes, bytes]]) -> dict[str, str]:
    out: dict[str, str] = {}
    for k, v in headers:
        if k == b"cookie":
            c = SimpleCookie()
            try:
                c.load(v.decode("latin-1"))
            except Exception:  # noqa: BLE001 - a malformed cookie header is ignored
                continue
            out.update({name: m.value for name, m in c.items()})
    return out


def _header(headers: list[tuple[bytes, bytes]], name: bytes) -> str | None:
    for k, v in headers:
        if k == name:
            return v.decode("latin-1")
    return None


def _valid_session(value: str | None) -> bool:
    return value is not None and 20 <= len(value) <= 64 and all(ch.isalnum() or ch in "-_" for ch in value)


class Guard:
    """ASGI middleware: token check, session cookie, security headers (see the module doc)."""

    def __init__(self, app: Any, *, token: str | None, secret: bytes, hosts: frozenset[str] | None = None,
                 port: int | None = None):
        self.app = app
        self.token_digest = _digest(token) if token else None
        self.secret = secret
        # without a token, the Host header must name this server (DNS rebinding)
        self.hosts = None if token else (hosts or host_names())
        self.port = port

    def _token_ok(self, headers, cookies) -> bool:
        if self.token_digest is None:
            return True
        auth = _header(headers, b"authorization") or ""
        if auth.lower().startswith("bearer "):
            return hmac.compare_digest(_digest(auth[7:].strip()), self.token_digest)
        c = cookies.get(TOKEN_COOKIE)
        return bool(c) and hmac.compare_digest(c, self.token_digest)

    async def _send_simple(self, send, status: int, body: bytes, headers: list[tuple[bytes, bytes]]) -> None:
        await send({"type": "http.response.start", "status": status,
                    "headers": headers + SECURITY_HEADERS + [(b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = scope.get("headers") or []
        if self.hosts is not None and not host_ok(_header(headers, b"host"), self.hosts, self.port):
            await self._send_simple(send, 400, _BAD_HOST, [(b"content-type", b"text/html; charset=utf-8")])
            return
        cookies = _cookies(headers)
        if self.token_digest is not None:
            query = scope.get("query_string", b"").decode("latin-1")
            pairs = parse_qsl(query, keep_blank_values=True)
            given = [v for k, v in pairs if k == "token"]
            if given:
                if hmac.compare_digest(_digest(given[-1]), self.token_digest):
                    rest = urlencode([(k, v) for k, v in pairs if k != "token"])
                    path = scope.get("path") or "/"
                    location = safe_next(path + ("?" + rest if rest else ""))
                    cookie = (f"{TOKEN_COOKIE}={self.token_digest}; Path=/; HttpOnly; SameSite=Strict")
                    await self._send_simple(send, 303, b"", [(b"location", location.encode("utf-8")),
                                                              (b"set-cookie", cookie.encode()),
                                                              (b"cache-control", b"no-store")])
                    return
                await self._send_simple(send, 401, _DENIED, [(b"content-type", b"text/html; charset=utf-8")])
                return
            if not self._token_ok(headers, cookies):
                await self._send_simple(send, 401, _DENIED, [(b"content-type", b"text/html; charset=utf-8"),
                                                             (b"www-authenticate", b"Bearer")])
                return
        session = cookies.get(SESSION_COOKIE)
        new_session = None
        if session is None or not _valid_session(session):
            session = new_session = secrets.token_urlsafe(24)
        state = scope.setdefault("state", {})
        state["session"] = session
        state["csrf"] = csrf_token(self.secret, session)

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                hs = list(message.get("headers") or [])
                have = {k.lower() for k, _ in hs}
                hs.extend((k, v) for k, v in SECURITY_HEADERS if k not in have)
                if new_session:
                    hs.append((b"set-cookie",
                               f"{SESSION_COOKIE}={new_session}; Path=/; HttpOnly; SameSite=Strict".encode()))
                message = dict(message, headers=hs)
            await send(message)

        started = False

        async def send_tracked(message):
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send_with_headers(message)

        try:
            await self.app(scope, receive, send_tracked)
        except Exception:
            if not started:  # a 500 page with our headers; then the error goes on to be logged
                await self._send_simple(send, 500, _ERROR, [(b"content-type", b"text/html; charset=utf-8")])
            raise


def same_origin(headers: Any) -> bool:
    """False when the request says it comes from another site (``Origin`` or ``Referer`` naming
    another host than ``Host``); absent headers pass (non-browser clients), the CSRF token decides."""
    host = (headers.get("host") or "").lower()
    for name in ("origin", "referer"):
        value = headers.get(name)
        if value:
            if value == "null":
                return False
            try:
                netloc = urlsplit(value).netloc.lower()
            except ValueError:
                return False
            return netloc == host
    return True


_BAD_HOST = (b"<!doctype html><html lang=en><head><meta charset=utf-8><title>sourcebook: wrong address</title>"
             b"</head><body><h1>This sourcebook answers on its own address only</h1><p>Open the address that "
             b"<code>sourcebook serve</code> printed (http://127.0.0.1:PORT/ or http://localhost:PORT/).</p>"
             b"</body></html>")
_ERROR = (b"<!doctype html><html lang=en><head><meta charset=utf-8><title>sourcebook: error</title></head>"
          b"<body><h1>Something went wrong</h1><p>The server could not answer this request; the error is in "
          b"its log.</p></body></html>")
_DENIED = (b"<!doctype html><html lang=en><head><meta charset=utf-8><title>sourcebook: token needed</title>"
           b"</head><body><h1>This sourcebook needs its token</h1><p>Open the address that "
           b"<code>sourcebook serve</code> printed (it ends in <code>?token=...</code>), or send an "
           b"<code>Authorization: Bearer ...</code> header.</p></body></html>")


async def checked_form(request: Request):
    """The posted form, after the CSRF check (same origin, and the session's token in the form or
    the ``X-CSRF-Token`` header); 403 otherwise.  Every POST handler starts with this."""
    form = await request.form()
    supplied = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
    if not same_origin(request.headers) or not csrf_ok(request.app.state.secret,
                                                       getattr(request.state, "session", None),
                                                       str(supplied or "")):
        raise HTTPException(403, "this form is stale or comes from another site (CSRF check failed): "
                                 "reload the page and try again")
    return form
