"""Fictional demo organisation, users and cases, seeded on first run."""
