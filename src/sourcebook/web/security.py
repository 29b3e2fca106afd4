"""Who may talk to the server, and that forms come from our own pages.

* **Binding**: ``sourcebook serve`` listens on 127.0.0.1 unless told otherwise; any other address
  needs a token (``--token`` or ``$SOURCEBOOK_TOKEN``), and :func:`check_bind` refuses to start
  without one.
* **Token**: when the app has one, every request (pages, static files, exports, posts) must carry it:
  an ``Authorization: Bearer TOKEN`` header, or the ``sb_token`` cookie that a visit to any page with
  ``?token=TOKEN`` sets (HttpOnly, SameSite=Strict) before redirecting to the same address without
  the token.  Anything else gets 401.
* **CSRF**: every browser gets a random session cookie (``sb_session``, HttpOnly, SameSite=Strict);
  every POST must send ``csrf`` (a form field) or ``X-CSRF-Token`` (a header) equal to an HMAC of
  that session under the app's secret, and a cross-site ``Origin`` is refused.  The pages put the
  value in every form and in ``<meta name="csrf-token">``.
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


def check_bind(host: str, token: str | None) -> None:
    """Refuse to listen beyond this machine without a token."""
    if not is_loopback(host) and not token:
        raise ServeError(f"--host {host} makes the UI reachable from other machines: give a --token "
                         f"(or set ${ENV_TOKEN}); every request will then need it")
    if token is not None and len(token) < 8:
        raise ServeError("the token is too short: use at least 8 characters (e.g. python3 -c "
                         "'import secrets; print(secrets.token_urlsafe())')")


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
    return bool(value) and 20 <= len(value) <= 64 and all(ch.isalnum() or ch in "-_" for ch in value)


class Guard:
    """ASGI middleware: token check, session cookie, security headers (see the module doc)."""

    def __init__(self, app: Any, *, token: str | None, secret: bytes):
        self.app = app
        self.token_digest = _digest(token) if token else None
        self.secret = secret

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
        cookies = _cookies(headers)
        if self.token_digest is not None:
            query = scope.get("query_string", b"").decode("latin-1")
            pairs = parse_qsl(query, keep_blank_values=True)
            given = [v for k, v in pairs if k == "token"]
            if given:
                if hmac.compare_digest(_digest(given[-1]), self.token_digest):
                    rest = urlencode([(k, v) for k, v in pairs if k != "token"])
                    path = scope.get("path") or "/"
                    location = path + ("?" + rest if rest else "")
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
        if not _valid_session(session):
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

        await self.app(scope, receive, send_with_headers)


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


_DENIED = (b"<!doctype html><html lang=en><head><meta charset=utf-8><title>sourcebook: token needed</title>"
           b"</head><body><h1>This sourcebook needs its token</h1><p>Open the address that "
           b"<code>sourcebook serve</code> printed (it ends in <code>?token=...</code>), or send an "
           b"<code>Authorization: Bearer ...</code> header.</p></body></html>")
