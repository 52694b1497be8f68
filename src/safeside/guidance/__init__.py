"""Guidance playbooks: concerns and severities mapped to the actions an organisation prescribes."""
