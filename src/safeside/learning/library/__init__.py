"""The guidance library: the principles and rules the playbook encodes, with sources."""
