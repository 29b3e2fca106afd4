"""Shared test helpers: where the shared corpus is, and ways to run the CLI: in this process (``cli``),
or as a real process (``run_cli``) where one matters (signals, SIGKILL, serve, stdout encoding)."""

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


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The shared/ folder (corpus, gold); tests that need it are skipped where it is missing, and
    fail instead with ``CI=true`` (CI must never pass without the quality floors)."""
    if not SHARED.is_dir():
        message = f"shared folder not found at {SHARED} (set SOURCEBOOK_SHARED)"
        if _in_ci():
            pytest.fail(message + "; CI=true: the tests that need it cannot be skipped")
        pytest.skip(message)
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

    Runs ``python -m sourcebook.cli ARGS`` as a separate process, as a user would: for what needs
    a real process (signals, SIGKILL, serve, stdout encoding); ``cli`` runs the rest in this process.
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


@pytest.fixture(scope="session")
def cli():
    """``cli(*args, input=None, cwd=None, timeout=None)`` -> CompletedProcess (text, captured), like
    ``run_cli`` but in this process: ``sourcebook.cli.main(args)`` under click's ``CliRunner``
    isolation (its own stdin, stdout and stderr).  The exit code is ``main``'s; an exception that
    escapes ``main`` becomes its traceback on stderr and exit code 1, as a real process would show."""
    import traceback

    from typer.testing import CliRunner

    from sourcebook import cli as cli_module

    runner = CliRunner()

    def run(*args: str, input: bytes | str | None = None, cwd: str | os.PathLike | None = None,
            timeout: float | None = None) -> subprocess.CompletedProcess:
        argv = [str(a) for a in args]
        data = input.encode("utf-8") if isinstance(input, str) else (input or b"")
        old_cwd = os.getcwd()
        consoles = (cli_module.out, cli_module.err)
        widths = [c._width for c in consoles]
        code = 0
        with runner.isolation(input=data, env={"COLUMNS": "200"}) as streams:
            stdout, stderr = streams[0], streams[1]
            for c in consoles:
                c.width = 200  # as COLUMNS=200 does for a real process: no wrapping of one-line messages
            try:
                if cwd is not None:
                    os.chdir(cwd)
                cli_module.main(argv)
            except SystemExit as e:
                code = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
            except BaseException:  # noqa: BLE001 - shown as a real process would show it
                sys.stderr.write(traceback.format_exc())
                code = 1
            finally:
                os.chdir(old_cwd)
                for c, w in zip(consoles, widths, strict=True):
                    c._width = w
                sys.stdout.flush()
                sys.stderr.flush()
            out_text = stdout.getvalue().decode("utf-8", "replace")
            err_text = stderr.getvalue().decode("utf-8", "replace")
        return subprocess.CompletedProcess(["sourcebook", *argv], code, out_text, err_text)

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
