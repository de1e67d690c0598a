"""Claim Annotator: label the claims in news articles, sentence by sentence."""

from annotator.segment import sentence_spans

__all__ = ["sentence_spans"]
