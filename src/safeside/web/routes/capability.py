"""Placeholder: filled in by the capability work."""

from __future__ import annotations

from fastapi import APIRouter

router = APIRouter()
