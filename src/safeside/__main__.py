"""``python -m safeside`` runs the command line."""

from safeside.cli import main

main()
