"""The append-only, hash-chained audit log and the ``verify`` check over every record."""
