"""Convert the temporal evaluation set between JSONL and a marked-up text form for editing.

Marked-up form, one sentence a line: the reference date (or ``-`` when the article is undated),
a tab, then the sentence with each gold span in double brackets: ``[[Nov 20, 2014|2014-11-20]]``
for a span that resolves, ``[[two days]]`` for one that does not. A resolved value may be
shortened to ``2014-06`` (the month) or ``2014`` (the year); it is stored as the first day.

    python tests/data/temporal/markup.py to-jsonl < gold.txt > tests/data/temporal/eval.jsonl
    python tests/data/temporal/markup.py to-markup < tests/data/temporal/eval.jsonl > gold.txt
"""

from __future__ import annotations

import json
import re
import sys
from typing import Any

_SPAN = re.compile(r"\[\[([^\[\]|]+)(?:\|(\d{4}(?:-\d{2}){0,2}))?\]\]")


def full_date(value: str | None) -> str | None:
    """Expand ``2014`` and ``2014-06`` to the first day of the year or month."""
    if value is None:
        return None
    return value + "-01" * (2 - value.count("-"))


def parse_line(line: str) -> dict[str, Any]:
    """One marked-up line -> one evaluation record."""
    reference, marked = line.rstrip("\n").split("\t", 1)
    text, spans, last = "", [], 0
    for match in _SPAN.finditer(marked):
        text += marked[last : match.start()]
        start = len(text)
        text += match.group(1)
        if match.group(1) != match.group(1).strip():
            raise ValueError(f"span not trimmed: {match.group(0)!r}")
        spans.append([start, len(text), full_date(match.group(2))])
        last = match.end()
    text += marked[last:]
    if "[[" in text or "]]" in text:
        raise ValueError(f"unbalanced brackets in {line!r}")
    return {"text": text, "reference": None if reference == "-" else reference, "spans": spans}


def render_record(record: dict[str, Any]) -> str:
    """One evaluation record -> one marked-up line."""
    text, out, last = record["text"], [], 0
    for start, end, value in record["spans"]:
        out.append(text[last:start])
        out.append(f"[[{text[start:end]}{'|' + value if value else ''}]]")
        last = end
    out.append(text[last:])
    return f"{record['reference'] or '-'}\t{''.join(out)}"


def main() -> None:
    """Read stdin, write stdout, in the direction the first argument names."""
    direction = sys.argv[1] if len(sys.argv) > 1 else ""
    lines = [line for line in sys.stdin if line.strip()]
    if direction == "to-jsonl":
        for line in lines:
            print(json.dumps(parse_line(line), ensure_ascii=False))
    elif direction == "to-markup":
        for line in lines:
            print(render_record(json.loads(line)))
    else:
        sys.exit("usage: markup.py to-jsonl|to-markup < input > output")


if __name__ == "__main__":
    main()
