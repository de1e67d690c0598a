"""First start: create the admin account (shown only while no account exists)."""

from annotator.ui.first_start import show

show()
