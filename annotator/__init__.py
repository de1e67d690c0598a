"""Claim Annotator: label the claims in news articles, sentence by sentence."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "sentence_spans"]


def __getattr__(name: str) -> Any:
    """`annotator.sentence_spans`, imported on first use: the segmenter loads pySBD, which the
    command line's `--help` and small commands never need (start-up time, issue 19)."""
    if name == "sentence_spans":
        from annotator.segment import sentence_spans

        return sentence_spans
    raise AttributeError(f"module 'annotator' has no attribute {name!r}")
