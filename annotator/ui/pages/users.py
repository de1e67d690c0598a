"""Users (admins only): create accounts, disable or enable them, reset passwords."""

from annotator.ui.accounts import show_users

show_users()
