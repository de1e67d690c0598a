"""Export: download labels, gold labels or sentences (the same bytes as the CLI's export)."""

from annotator.ui.export import show

show()
