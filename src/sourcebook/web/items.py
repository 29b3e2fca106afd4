"""Events, places and dates: pages with filters and review, and the map (filled in below)."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
NAV: list[tuple[str, str]] = []
