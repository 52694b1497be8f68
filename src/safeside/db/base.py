"""The declarative base, a UTC timestamp type and the hash-chained record mixin."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import DateTime, Dialect, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    """The current time in UTC, to the microsecond."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """A timestamp stored as naive UTC and always read back timezone-aware.

    SQLite has no time zones and PostgreSQL has; storing naive UTC on both means a
    record hashes the same whichever database it lives in.
    """

    impl = DateTime(timezone=False)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


class Base(DeclarativeBase):
    """Base class of every Safeside table."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _canonical(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def content_hash(fields: dict[str, Any]) -> str:
    """SHA-256 of a record's fields as canonical JSON (sorted keys, UTC ISO times)."""
    canonical = {key: _canonical(value) for key, value in fields.items()}
    payload = json.dumps(canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class ChainedRecord:
    """Mixin for records whose content is sealed by a hash and tied into the audit chain.

    ``record_hash`` is the SHA-256 of :meth:`integrity_fields`. Every create or change
    appends an audit event carrying the same hash, so ``safeside verify`` can tell an
    altered row (hash differs) from a removed one (event without a row).
    """

    #: Name used in audit events and verify reports, e.g. ``"evidence"``.
    record_type: ClassVar[str]
    #: Columns left out of the hash (login counters and the like).
    unsealed: ClassVar[frozenset[str]] = frozenset()

    record_hash: Mapped[str] = mapped_column(String(64), default="")

    if TYPE_CHECKING:
        id: int
        __tablename__: str

    def integrity_fields(self) -> dict[str, Any]:
        """The sealed columns and their values."""
        table = self.__table__  # type: ignore[attr-defined]
        skip = self.unsealed | {"record_hash"}
        return {c.name: getattr(self, c.key) for c in table.columns if c.name not in skip}

    def compute_hash(self) -> str:
        """The hash this record should carry now."""
        return content_hash(self.integrity_fields())

    def seal(self) -> str:
        """Store and return the current content hash."""
        self.record_hash = self.compute_hash()
        return self.record_hash
