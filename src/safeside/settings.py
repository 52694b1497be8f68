"""Run-time settings for the web app and its database, read from the environment.

Safe offline defaults make ``safeside serve`` work from a clean clone: a SQLite file
in ``./var/``, demo data on, a random session secret kept in ``./var/secret.key``.

| variable | default | meaning |
|---|---|---|
| ``SAFESIDE_DATABASE_URL`` | ``sqlite:///./var/safeside.db`` | SQLAlchemy URL (``postgresql://`` works) |
| ``SAFESIDE_DATA_DIR`` | ``./var`` | where the SQLite file and the secret live |
| ``SAFESIDE_SECRET_KEY`` | generated once | signs session cookies |
| ``SAFESIDE_SECURE_COOKIES`` | ``1`` | send the session cookie only over HTTPS (and localhost) |
| ``SAFESIDE_DEMO`` | ``1`` | seed fictional demo users and cases on first run |
| ``SAFESIDE_ORGANISATION`` | ``Northshire County Council`` | council name shown in the header |
| ``SAFESIDE_GUIDANCE_DIR`` | none | a folder of the organisation's local policy pages (Markdown) for the guidance library |
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

DEFAULT_ORGANISATION = "Northshire County Council"


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def normalise_database_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgresql://`` URLs."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything the web app and CLI need to know about where they run."""

    database_url: str
    data_dir: Path
    secret_key: str
    secure_cookies: bool = True
    demo: bool = True
    organisation: str = DEFAULT_ORGANISATION
    max_upload_bytes: int = 10 * 1024 * 1024
    lockout_after: int = 5
    lockout_minutes: int = 15
    guidance_dir: Path | None = None

    @classmethod
    def from_env(cls) -> Settings:
        """Settings from ``SAFESIDE_*`` variables, with safe offline defaults."""
        data_dir = Path(os.environ.get("SAFESIDE_DATA_DIR", "var"))
        url = os.environ.get("SAFESIDE_DATABASE_URL") or f"sqlite:///{data_dir / 'safeside.db'}"
        secret = os.environ.get("SAFESIDE_SECRET_KEY") or _stored_secret(data_dir)
        return cls(
            database_url=normalise_database_url(url),
            data_dir=data_dir,
            secret_key=secret,
            secure_cookies=_flag("SAFESIDE_SECURE_COOKIES", True),
            demo=_flag("SAFESIDE_DEMO", True),
            organisation=os.environ.get("SAFESIDE_ORGANISATION", DEFAULT_ORGANISATION),
            guidance_dir=Path(g) if (g := os.environ.get("SAFESIDE_GUIDANCE_DIR")) else None,
        )


def _stored_secret(data_dir: Path) -> str:
    """A random secret, created once and kept (owner-readable only) in the data dir."""
    path = data_dir / "secret.key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    path.write_text(secret, encoding="utf-8")
    path.chmod(0o600)
    return secret
