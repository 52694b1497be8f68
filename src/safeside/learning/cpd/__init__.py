"""CPD records: Social Work England's questions, tags, sources and portfolio export."""
