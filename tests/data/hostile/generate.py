"""The large files of the hostile import corpus, generated at test time and never committed.

One function per file; `GENERATED` maps each file name to its function. Everything is
deterministic, so a failure can be reproduced: `python -m tests.data.hostile.generate DIR`
writes the files to DIR for a look.
"""

from __future__ import annotations

import io
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

LONG_LINE_BYTES = 5 * 1024 * 1024
DIGIT_RUN_CHARS = 200_000
PARAGRAPHS = 1_000
TITLE_CHARS = 10_000
DENSE_SENTENCES = 20_000
BOMB_MEMBER_BYTES = 10 * 1024 * 1024

_WORDS = "the minister said talks with lenders would go on through the winter months".split()


def long_line_body() -> str:
    """About 5 MB of words without punctuation or line breaks."""
    words = (_WORDS[i * 7 % len(_WORDS)] for i in range(LONG_LINE_BYTES // 3))
    return " ".join(words)[:LONG_LINE_BYTES].rstrip()


def long_line() -> bytes:
    """A title, then the 5 MB line."""
    return f"Talks go on\n\n{long_line_body()}\n".encode()


def zip_bomb() -> bytes:
    """A zip whose one .txt member is 10 MB of spaces: it expands about 1,000 times."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("bomb.txt", b"Bomb\n\n" + b" " * BOMB_MEMBER_BYTES + b"x\n")
    return buffer.getvalue()


def digit_run_body() -> str:
    """200,000 characters of digits and dots without a space."""
    return ("3.14159265358979." * (DIGIT_RUN_CHARS // 17 + 1))[:DIGIT_RUN_CHARS]


def digit_run() -> bytes:
    """A title, then the digit run."""
    return f"Figures\n\n{digit_run_body()}\n".encode()


def numbered_run_body() -> str:
    """About 200,000 characters of list numbers ("0. 1. 2. ..."): dense with pySBD list items."""
    run = " ".join(f"{i % 100}." for i in range(DIGIT_RUN_CHARS // 3))
    return run[:DIGIT_RUN_CHARS].rstrip()


def numbered_run() -> bytes:
    """A title, then the run of list numbers."""
    return f"Numbers\n\n{numbered_run_body()}\n".encode()


def paragraph_sentences(i: int) -> tuple[str, str]:
    """The two sentences of paragraph `i` of the long article (about 200 characters)."""
    return (
        f"On day {i} the council met in the old hall and approved budget line {i} after a long "
        "debate about roads, schools and clinics.",
        f"Members said the plan for line {i} would take effect next year.",
    )


def thousand_paragraphs_body() -> str:
    """1,000 paragraphs separated by blank lines."""
    return "\n\n".join(" ".join(paragraph_sentences(i)) for i in range(PARAGRAPHS))


def thousand_paragraphs() -> bytes:
    """A 1,000-paragraph article (about 200 KB) with a title and a publication line."""
    body = thousand_paragraphs_body()
    return f"Council approves the budget\nPublished 21 November 2014\n\n{body}\n".encode()


def thousand_paragraphs_csv() -> bytes:
    """The same 1,000 paragraphs as one CSV cell: longer than the csv module's default limit."""
    body = thousand_paragraphs_body()
    return f'id,title,text\nlong-1,Council approves the budget,"{body}"\n'.encode()


def long_title_text() -> str:
    """A title of exactly 10,000 characters."""
    return ("Budget " * (TITLE_CHARS // 7 + 1))[: TITLE_CHARS - 1] + "X"


def long_title() -> bytes:
    """The 10,000-character title line over a short body."""
    return f"{long_title_text()}\n\nThe assembly passed the budget.\n".encode()


def dense_sentences() -> bytes:
    """A title, then 20,000 one-word sentences on one line: one stored sentence per 5 bytes."""
    return f"Short\n\n{'Yes. ' * DENSE_SENTENCES}".rstrip().encode() + b"\n"


GENERATED: dict[str, Callable[[], bytes]] = {
    "long_line.txt": long_line,
    "zip_bomb.zip": zip_bomb,
    "digit_run.txt": digit_run,
    "numbered_run.txt": numbered_run,
    "thousand_paragraphs.txt": thousand_paragraphs,
    "thousand_paragraphs.csv": thousand_paragraphs_csv,
    "long_title.txt": long_title,
    "dense_sentences.txt": dense_sentences,
}


def main(folder: Path) -> None:
    """Write every generated file into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, make in GENERATED.items():
        (folder / name).write_bytes(make())


if __name__ == "__main__":
    main(Path(sys.argv[1]))
