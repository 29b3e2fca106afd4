"""Shared test helpers: where the shared corpus is, and a way to run the CLI as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

# Strict mode (nlp/registry.py): a component that raises on a document fails the test instead of
# becoming a record warning; the CLI processes the tests start inherit it.
os.environ["SOURCEBOOK_STRICT"] = "1"

REPO = Path(__file__).resolve().parents[1]
#: The project's shared/ folder sits beside the repository (here and in CI); override with
#: $SOURCEBOOK_SHARED.
SHARED = Path(os.environ.get("SOURCEBOOK_SHARED") or REPO.parent / "shared")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared/ folder (corpus, gold); tests that need it are skipped where it is missing."""
    if not SHARED.is_dir():
        pytest.skip(f"shared folder not found at {SHARED} (set SOURCEBOOK_SHARED)")
    return SHARED


def _cli_env() -> dict[str, str]:
    env = dict(os.environ)
    src = str(REPO / "src")
    env["PYTHONPATH"] = src + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("PYTHONIOENCODING", "utf-8")
    env["COLUMNS"] = "200"  # keep rich from wrapping one-line messages
    return env


@pytest.fixture(scope="session")
def run_cli():
    """``run_cli(*args, input=None, cwd=None, timeout=300)`` -> CompletedProcess (text, captured).

    Runs ``python -m sourcebook.cli ARGS`` as a separate process, as a user would.
    """

    def run(*args: str, input: bytes | str | None = None, cwd: str | os.PathLike | None = None,
            timeout: float = 300) -> subprocess.CompletedProcess:
        data = input.encode("utf-8") if isinstance(input, str) else input
        proc = subprocess.run(
            [sys.executable, "-m", "sourcebook.cli", *map(str, args)],
            input=data if data is not None else b"",
            capture_output=True,
            cwd=cwd,
            env=_cli_env(),
            timeout=timeout,
        )
        return subprocess.CompletedProcess(
            proc.args,
            proc.returncode,
            proc.stdout.decode("utf-8", "replace"),
            proc.stderr.decode("utf-8", "replace"),
        )

    return run


# --------------------------------------------------------------------------- databases

#: The test PostgreSQL server's URL (scripts/test starts one with scripts/ci-postgres.sh).
PG_ENV = "SOURCEBOOK_TEST_PG"


def pg_schema_url(base: str, schema: str) -> str:
    """``base`` with every connection's search_path set to ``schema`` (a test's own namespace)."""
    from urllib.parse import quote

    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options={quote(f'-csearch_path={schema}')}"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    """A fresh, empty database: a SQLite file, or a new schema in the test PostgreSQL database.

    The PostgreSQL case is skipped, with the reason shown, when $SOURCEBOOK_TEST_PG is unset."""
    if request.param == "sqlite":
        yield str(tmp_path / "store.db")
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"PostgreSQL tests need ${PG_ENV} (eval \"$(bash scripts/ci-postgres.sh)\" starts one)")
    import uuid

    import sqlalchemy as sa

    from sourcebook.store.core import resolve_url

    schema = "t_" + uuid.uuid4().hex[:12]
    admin = sa.create_engine(resolve_url(base))
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        yield pg_schema_url(base, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()
