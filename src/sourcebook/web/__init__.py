"""The web UI: read, check and correct the evidence (``sourcebook serve``).

``create_app(db)`` is the FastAPI application; ``serve(db, host, port, token=...)`` runs it with
uvicorn.  Pages: corpus, article, sources, figures, review log (and the ledger's, when present).
See docs/web.md.
"""

from __future__ import annotations

import os
import socket
from typing import Any, Callable

from .app import create_app, register_pages, render
from .security import ENV_TOKEN, ServeError, check_bind, is_loopback

__all__ = ["create_app", "app_from_env", "register_pages", "render", "serve", "free_port", "ServeError", "ENV_TOKEN",
           "check_bind", "is_loopback"]

ENV_SECRET = "SOURCEBOOK_WEB_SECRET"
ENV_WEB_USER = "SOURCEBOOK_WEB_USER"
ENV_WEB_BIND = "SOURCEBOOK_WEB_BIND"  # host and port of the server, for its worker processes
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000


def free_port(host: str = DEFAULT_HOST, start: int = DEFAULT_PORT, tries: int = 50) -> int:
    """``start`` if nothing listens there, else the next free port."""
    for port in range(start, start + tries):
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as s:
            try:
                s.bind((host, port))
            except OSError:
                continue
            return port
    raise ServeError(f"no free port on {host} between {start} and {start + tries - 1}")


def address(host: str, port: int, token: str | None = None) -> str:
    shown = f"[{host}]" if ":" in host else host
    if host in ("0.0.0.0", "::"):
        shown = "127.0.0.1" if host == "0.0.0.0" else "[::1]"
    url = f"http://{shown}:{port}/"
    return url + (f"?token={token}" if token else "")


def serve(db: str | None = None, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT, token: str | None = None,
          user: str | None = None, announce: Callable[[str], None] | None = None, log_level: str = "warning",
          workers: int = 1) -> None:
    """Run the UI until interrupted.  Refuses a non-loopback ``host`` without a token.  ``workers``
    > 1 runs that many uvicorn processes (they share the CSRF secret through the environment)."""
    import secrets

    import uvicorn

    token = token or os.environ.get(ENV_TOKEN) or None
    check_bind(host, token)
    if workers > 1:
        app = None
        if db is not None:
            os.environ["SOURCEBOOK_DB"] = str(db)
        if token:
            os.environ[ENV_TOKEN] = token
        if user:
            os.environ[ENV_WEB_USER] = user
        os.environ[ENV_SECRET] = secrets.token_hex(32)
        os.environ[ENV_WEB_BIND] = f"{port} {host}"
        create_app(db, load_ledger=False).state.store.close()  # migrate once, fail early
    else:
        app = create_app(db, token=token, user=user, host=host, port=port, warm=True)
    # fail early and in one line when the port is taken
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as err:
            raise ServeError(f"cannot listen on {host}:{port} ({err.strerror or err}): is another server "
                             f"running there? Try --port {port + 1}") from None
    if announce:
        announce(address(host, port, token))
    # keep-alive: browsers and clients reuse connections; uvicorn's 5 s default races with reuse
    opts: dict[str, Any] = dict(host=host, port=port, log_level=log_level, access_log=False, server_header=False,
                proxy_headers=False, timeout_keep_alive=30)
    if workers > 1:
        uvicorn.run("sourcebook.web:app_from_env", factory=True, workers=workers, **opts)
        return
    assert app is not None
    uvicorn.Server(uvicorn.Config(app, **opts)).run()


def app_from_env():
    """The app of one of several worker processes (``serve(workers=N)``): database, token, reviewer
    and CSRF secret from the environment."""
    secret = os.environ.get(ENV_SECRET)
    port, _, host = (os.environ.get(ENV_WEB_BIND) or "").partition(" ")
    return create_app(None, token=os.environ.get(ENV_TOKEN) or None, user=os.environ.get(ENV_WEB_USER) or None,
                      secret=bytes.fromhex(secret) if secret else None, host=host or None,
                      port=int(port) if port.isdigit() else None, warm=True)
