"""Claim Annotator: label the claims in news articles, sentence by sentence."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd

__version__ = "0.1.0"
__all__ = ["__version__", "load", "sentence_spans"]


def load(path: str | os.PathLike[str], kind: str | None = None) -> pd.DataFrame:
    """An export (.csv, .jsonl or .parquet) read back with the documented dtypes
    (docs/data-dictionary.md); the kind is read from its columns."""
    from annotator.loading import load as load_export  # pandas only when it is needed

    return load_export(path, kind)


def __getattr__(name: str) -> Any:
    """`annotator.sentence_spans`, imported on first use: the segmenter loads pySBD, which the
    command line's `--help` and small commands never need (start-up time, issue 19)."""
    if name == "sentence_spans":
        from annotator.segment import sentence_spans

        return sentence_spans
    raise AttributeError(f"module 'annotator' has no attribute {name!r}")
