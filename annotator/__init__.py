"""Claim Annotator: label the claims in news articles, sentence by sentence."""
