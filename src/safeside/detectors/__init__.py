"""Built-in detectors. Importing this package registers them all in the registry."""

from safeside.detectors import (  # noqa: F401  (imported for registration)
    classifier,
    concerns,
    encoder,
    identifiers,
    layout,
    lexical,
    names,
    speakers,
)
