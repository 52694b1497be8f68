"""The digital-footprint audit: analyse every imported post and report the risky ones.

>>> from safeside.footprint import run_audit, write_reports   # doctest: +SKIP
>>> result = run_audit(posts, mode="own")
>>> write_reports(result, out_dir)
"""

from safeside.footprint.audit import AuditResult, Finding, run_audit
from safeside.footprint.files import write_reports
from safeside.footprint.steps import suggested_step

__all__ = ["AuditResult", "Finding", "run_audit", "suggested_step", "write_reports"]
