"""Casebook, the practitioner web app (FastAPI + GOV.UK Frontend templates)."""

from safeside.web.app import create_app

__all__ = ["create_app"]
