"""Learning from social media: chat digests, CPD records and reflection."""
