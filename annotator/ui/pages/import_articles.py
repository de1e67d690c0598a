"""Import (leads and admins): upload article files; a per-file report of what happened."""

from annotator.ui.import_articles import show

show()
