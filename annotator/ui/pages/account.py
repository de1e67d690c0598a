"""Account: change your own password."""

from annotator.ui.accounts import show_account

show_account()
