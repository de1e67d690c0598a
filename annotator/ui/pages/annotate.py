"""Annotate: label the body sentences of one article at a time."""

from annotator.ui.annotate import show

show()
