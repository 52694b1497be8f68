"""The analysis engine: one document, a pipeline of detectors, typed results."""
