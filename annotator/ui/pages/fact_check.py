"""Fact-check: a checker's queue of gold claims to check, and a lead's view of the stage."""

from annotator.ui.fact_check import show

show()
