"""Account: change your own password."""

from annotator.ui.account import show

show()
