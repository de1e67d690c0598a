"""Claim Annotator: label the claims in news articles, sentence by sentence."""

from annotator.segment import sentence_spans

__version__ = "0.1.0"
__all__ = ["__version__", "sentence_spans"]
