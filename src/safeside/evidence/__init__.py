"""Evidence items (original bytes + SHA-256, never edited in place) and bundle export."""
