"""Projects: list them and create one with a scheme, an overlap and guidelines."""

from annotator.ui.projects import show

show()
