"""People's side of the tracker: review decisions, manual entries, and the previous system's verdicts.

Everything a person decides is appended to a seed in the decisions folder
(`seeds/decisions/`, or `$FLOP_TRACKER_DECISIONS_DIR`), atomically and under a lock, and
validated with pydantic before dbt reads it. The models mart applies those seeds last.
"""
