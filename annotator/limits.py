"""Limits the command line names in its options (pure, no imports): here so that `--help`
loads no database library (start-up time, issue 19). The services enforce them and re-export
them from where they belong."""

from __future__ import annotations

MAX_OVERLAP = 20  # annotators per sentence in a project
MAX_GUIDELINES = 20_000  # characters of a project's guidelines
MAX_CHECK_OVERLAP = 5  # fact-checkers per gold claim
