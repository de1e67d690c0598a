"""Progress (leads and admins): who has done what, labels per day, and handing out work."""

from annotator.ui.progress import show

show()
