"""Model: suggestion settings, training, and every version's held-out figures."""

from annotator.ui.model import show

show()
