"""What a text column can hold, on every database: no NUL character and no unpaired surrogate.

PostgreSQL refuses NUL in text, and no driver can encode an unpaired surrogate (what Python
makes of bytes that are not UTF-8 in a command-line argument, a file name or standard input,
and what a JSON `\\ud800` escape decodes to). Services check free text with these functions, so
such a value is refused with a message naming it instead of failing inside the driver.
"""

from __future__ import annotations

from annotator.errors import InvalidInput


def storable_problem(value: str) -> str | None:
    """Why `value` cannot be stored in (or looked up in) a text column; None if it can."""
    if "\x00" in value:
        return "contains a NUL character"
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        return f"contains an unpaired surrogate at position {exc.start} (not UTF-8 text)"
    return None


def is_storable(value: str) -> bool:
    """Whether `value` can be stored in (or looked up in) a text column."""
    return storable_problem(value) is None


def require_storable(value: str, what: str) -> None:
    """InvalidInput saying what is wrong with `what` unless `value` is storable."""
    problem = storable_problem(value)
    if problem is not None:
        raise InvalidInput(f"{what} {problem}")
