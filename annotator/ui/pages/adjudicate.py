"""Adjudicate (leads and admins): disputed sentences side by side; one click sets gold."""

from annotator.ui.adjudicate import show

show()
