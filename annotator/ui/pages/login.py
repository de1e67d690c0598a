"""Log in with a user name and password."""

from annotator.ui.login import show

show()
