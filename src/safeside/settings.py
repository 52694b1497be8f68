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
| ``SAFESIDE_SESSION_IDLE_MINUTES`` | ``30`` | sign a user out after this long without a request |
| ``SAFESIDE_SESSION_MAX_HOURS`` | ``8`` | sign a user out this long after sign-in, however active |
| ``SAFESIDE_SIGNING_KEY`` | none | the organisation's Ed25519 signing key itself (PEM or base64 seed) |
| ``SAFESIDE_SIGNING_KEY_FILE`` | ``<data dir>/signing.key`` | a file holding it, best outside the data dir (made 0600 at set-up) |
| ``SAFESIDE_CHECKPOINT_EVERY`` | ``50`` | write a signed audit checkpoint at least every this many events |
| ``SAFESIDE_CHECKPOINT_FILE`` | ``<data dir>/checkpoints.jsonl`` | the append-only checkpoint file |
| ``SAFESIDE_CHECKPOINT_SYSLOG`` | none | also send each checkpoint to syslog: ``/dev/log``, ``udp://host:514`` or ``tcp://host:601`` |
| ``SAFESIDE_CHECKPOINT_SINKS`` | none | more checkpoint sinks: comma-separated ``module:function`` factories (see docs/evidence-and-audit.md) |
| ``SAFESIDE_CONFIG`` | none | the organisation's engine configuration file (docs/configuration.md), for every command, the library and the web app |
| ``SAFESIDE_MODEL_THREADS`` | ``2`` | threads the contextual model uses per process (``safeside batch`` workers use 1) |
| ``SAFESIDE_SHARED_DIR`` | ``<repo>/../shared`` | where ``safeside eval`` finds the shared evaluation sets |

Every variable is listed here and in docs/configuration.md ("Settings"); a test keeps
the two and the code in step.

Sign-in lockout (see docs/web.md, "Sessions and sign-in"): after ``lockout_after`` wrong
attempts on one account from one source (client IP), that source waits
``lockout_first_minutes``, doubling with every further failure up to
``lockout_max_minutes``; other sources wait at most ``account_lockout_max_minutes``. After
``source_lockout_after`` failures from one source, on any accounts (or unknown email
addresses), the whole source waits in the same way. Failures are forgotten
``lockout_forget_minutes`` after the last failure or lock.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field
from pathlib import Path

from safeside.errors import InputError

DEFAULT_ORGANISATION = "Northshire County Council"


def engine_config_file() -> str | None:
    """The engine configuration file named by ``SAFESIDE_CONFIG``, if any."""
    return os.environ.get("SAFESIDE_CONFIG") or None


def model_threads() -> int:
    """Threads the contextual model may use in this process (``SAFESIDE_MODEL_THREADS``)."""
    return _positive_int("SAFESIDE_MODEL_THREADS", 2)


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _positive_int(name: str, default: int) -> int:
    """A positive whole number from the environment (minutes or hours)."""
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise InputError(f"{name} must be a whole number of 1 or more, not {value!r}")
    return int(value)


def _path(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value) if value else None


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
    lockout_first_minutes: int = 1
    lockout_max_minutes: int = 60
    account_lockout_max_minutes: int = 5
    source_lockout_after: int = 10
    lockout_forget_minutes: int = 60
    session_idle_minutes: int = 30
    session_max_hours: int = 8
    reset_link_hours: int = 24
    guidance_dir: Path | None = None
    signing_key: str = field(default="", repr=False)
    signing_key_file: Path | None = None
    checkpoint_every: int = 50
    checkpoint_file: Path | None = None
    checkpoint_syslog: str = ""
    checkpoint_sinks: tuple[str, ...] = ()

    @property
    def checkpoint_path(self) -> Path:
        """The append-only checkpoint file (``<data dir>/checkpoints.jsonl`` by default)."""
        return self.checkpoint_file or self.data_dir / "checkpoints.jsonl"

    @classmethod
    def from_env(cls, *, make_secret: bool = True) -> Settings:
        """Settings from ``SAFESIDE_*`` variables, with safe offline defaults.

        Args:
            make_secret: create the session secret if there is none (commands that only
                read, like ``safeside verify``, leave the data folder untouched).
        """
        data_dir = Path(os.environ.get("SAFESIDE_DATA_DIR", "var"))
        url = os.environ.get("SAFESIDE_DATABASE_URL") or f"sqlite:///{data_dir / 'safeside.db'}"
        secret = os.environ.get("SAFESIDE_SECRET_KEY") or _stored_secret(data_dir, make_secret)
        return cls(
            database_url=normalise_database_url(url),
            data_dir=data_dir,
            secret_key=secret,
            secure_cookies=_flag("SAFESIDE_SECURE_COOKIES", True),
            demo=_flag("SAFESIDE_DEMO", True),
            organisation=os.environ.get("SAFESIDE_ORGANISATION", DEFAULT_ORGANISATION),
            guidance_dir=Path(g) if (g := os.environ.get("SAFESIDE_GUIDANCE_DIR")) else None,
            session_idle_minutes=_positive_int("SAFESIDE_SESSION_IDLE_MINUTES", 30),
            session_max_hours=_positive_int("SAFESIDE_SESSION_MAX_HOURS", 8),
            signing_key=os.environ.get("SAFESIDE_SIGNING_KEY", ""),
            signing_key_file=_path("SAFESIDE_SIGNING_KEY_FILE"),
            checkpoint_every=_positive_int("SAFESIDE_CHECKPOINT_EVERY", 50),
            checkpoint_file=_path("SAFESIDE_CHECKPOINT_FILE"),
            checkpoint_syslog=os.environ.get("SAFESIDE_CHECKPOINT_SYSLOG", "").strip(),
            checkpoint_sinks=tuple(
                name.strip()
                for name in os.environ.get("SAFESIDE_CHECKPOINT_SINKS", "").split(",")
                if name.strip()
            ),
        )


def _stored_secret(data_dir: Path, make: bool = True) -> str:
    """A random secret, created once and kept (owner-readable only) in the data dir."""
    path = data_dir / "secret.key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    if not make:
        return ""
    data_dir.mkdir(parents=True, exist_ok=True)
    secret = secrets.token_urlsafe(48)
    path.write_text(secret, encoding="utf-8")
    path.chmod(0o600)
    return secret
