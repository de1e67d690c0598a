"""Counts in words, for messages of the command line and the pages: `1 article`, `3 articles`,
never `article(s)`."""

from __future__ import annotations


def plural(n: int, noun: str, many: str | None = None) -> str:
    """`noun` for one, else `many` (default: `noun` + "s")."""
    return noun if n == 1 else (many or f"{noun}s")


def counted(n: int, noun: str, many: str | None = None) -> str:
    """`1 sentence`, `2 sentences`, `1,204 sentences`: a count with its noun."""
    return f"{n:,} {plural(n, noun, many)}"
