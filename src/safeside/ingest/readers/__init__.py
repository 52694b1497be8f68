"""One module per export format; importing this package registers them in order.

Specific formats come first; the generic readers (CSV, JSONL, JSON, plain text,
screenshots) come last so that they only see what nothing else claimed.
"""

from safeside.ingest.readers import (  # noqa: F401  (imported to register)
    discord,
    facebook,
    generic,
    instagram,
    linkedin,
    mastodon,
    rss,
    screenshot,
    telegram,
    twitter,
    whatsapp,
)
