"""Database layer: SQLAlchemy 2 declarative base, engine and session factory, migrations.

Tables live with their feature (``access``, ``cases``, ``evidence``, ``audit_log``);
:mod:`safeside.db.models` imports them all so that Alembic and ``verify`` see every table.
"""

from safeside.db.base import Base, ChainedRecord, UTCDateTime, utcnow
from safeside.db.session import Database, make_engine

__all__ = ["Base", "ChainedRecord", "Database", "UTCDateTime", "make_engine", "utcnow"]
