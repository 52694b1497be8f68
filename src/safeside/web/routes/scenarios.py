"""Placeholder: filled in by the scenarios work."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
