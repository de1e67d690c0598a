"""Users (admins only): create accounts, disable or enable them, reset passwords."""

from annotator.ui.users import show

show()
