"""Scores and aggregates (written by the scoring engine), report jobs."""
