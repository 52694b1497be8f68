"""Cases, membership, viewing justifications and tracked actions."""
