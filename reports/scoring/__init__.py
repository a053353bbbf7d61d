"""Scoring: answers in, scores and aggregates out.

- engine.py: the pure pandas engine (no ORM): the method of README.md "Scoring method", and the
  one stage rule (`stage_for`, `stage_of`) every screen and export uses.
- reads.py: one read per table of a round into the engine's `RoundFrames`.
- writes.py: the results into their tables (COPY, only the rows that changed).
- services.py: read, compute and write in one transaction; the sweep of what was left unscored.
  Celery runs them through reports/tasks.py; other services schedule them through
  reports/dispatch.py.
"""
