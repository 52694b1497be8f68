"""Placeholder: filled in by the guidance work."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
