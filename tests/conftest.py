"""Shared test helpers: where the shared corpus is, and a way to run the CLI as a real process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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
