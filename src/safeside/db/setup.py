"""First-run set-up: migrate the database and seed the demo when it is empty."""

from __future__ import annotations

from safeside.cases.service import AnalyzeFn
from safeside.db.migrate import upgrade
from safeside.db.session import Database
from safeside.demo.seed import is_seeded, seed_demo


def prepare_database(database: Database, *, demo: bool, analyze: AnalyzeFn) -> bool:
    """Apply migrations and, if ``demo`` and no users exist, seed demo data.

    Returns:
        True when demo data was seeded by this call.
    """
    upgrade(database.engine)
    if not demo:
        return False
    with database.session() as session:
        if is_seeded(session):
            return False
        seed_demo(session, analyze)
    return True
