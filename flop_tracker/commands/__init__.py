"""Subcommands. Each module exposes `register(subparsers, common)`; cli.py lists them in order."""
