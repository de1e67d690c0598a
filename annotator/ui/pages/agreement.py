"""Agreement (leads and admins): how far the annotators agree, per field, and where they don't."""

from annotator.ui.agreement import show

show()
