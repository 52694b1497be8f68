"""Users, teams, roles, password hashing and the one authorisation policy ``can``."""
