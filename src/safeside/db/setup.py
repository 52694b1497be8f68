"""First-run set-up: migrate the database and seed the demo when it is empty."""

from __future__ import annotations

from safeside.audit_log.sealing import seal_existing
from safeside.check import Check
from safeside.db.migrate import upgrade
from safeside.db.session import Database
from safeside.demo.seed import is_seeded, seed_demo


def prepare_database(database: Database, *, demo: bool, check: Check) -> bool:
    """Apply migrations and, if ``demo`` and no users exist, seed demo data (its
    evidence and CPD records analysed by ``check``).

    Returns:
        True when demo data was seeded by this call.
    """
    upgrade(database.engine)
    database.run(seal_existing)
    if not demo:
        return False
    with database.session() as session:
        if is_seeded(session):
            return False
        seed_demo(session, check)
    return True
