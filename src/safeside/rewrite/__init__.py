"""Safer rewrites of own-mode posts: remove or generalise what identifies people."""
