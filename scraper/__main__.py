"""``python -m scraper`` runs the blogbinder command line."""

from .cli import main

main()
