"""The floor every other part of flop-tracker stands on: paths, the database connection, text cleaning.

It imports nothing of the project, so `ingest/`, `review/` and the command line can all use it
without pointing at each other: ingest and review never import each other or the commands, and
the use cases in `flop_tracker/` import all three.
"""

__version__ = "0.1.0"
