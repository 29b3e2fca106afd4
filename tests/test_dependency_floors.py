"""Dependency floors exclude versions with published advisories (issue 14, item 9); pip-audit cannot
reach its database here, so docs/security.md lists each floor and what it excludes.  This checks the
floors in pyproject.toml, that the installed versions meet them, and that the document covers them."""

from __future__ import annotations

import tomllib
from importlib import metadata

import pytest
from conftest import REPO
from packaging.requirements import Requirement
from packaging.version import Version

#: package -> (a version with an advisory that the floor must exclude, the floor)
FLOORS = {
    "fastapi": ("0.110.0", "0.165"),
    "starlette": ("0.39.2", "1.6"),
    "python-multipart": ("0.0.26", "0.0.31"),
    "jinja2": ("3.1.5", "3.1.6"),
    "h11": ("0.14.0", "0.16"),
    "tornado": ("6.5.2", "6.5.8"),
    "urllib3": ("2.5.0", "2.6.3"),
    "requests": ("2.32.3", "2.32.4"),
    "pillow": ("11.2.1", "11.3"),
}


def _requirements() -> dict[str, Requirement]:
    deps = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["dependencies"]
    return {Requirement(d).name.lower(): Requirement(d) for d in deps}


@pytest.mark.parametrize("name", sorted(FLOORS))
def test_floor_excludes_the_advisory_and_is_installed(name):
    req = _requirements()[name]
    vulnerable, floor = FLOORS[name]
    assert Version(vulnerable) not in req.specifier and Version(floor) in req.specifier, (name, str(req.specifier))
    assert Version(metadata.version(name)) in req.specifier, (name, metadata.version(name))


def test_security_doc_lists_every_floor():
    doc = (REPO / "docs" / "security.md").read_text(encoding="utf-8").lower()
    for name, (_, floor) in FLOORS.items():
        assert f"{name}>={floor}" in doc, name


def test_package_version_is_0_2_0():
    assert tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["version"] == "0.2.0"
