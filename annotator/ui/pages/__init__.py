"""The page files `st.navigation` runs (their names make the URLs). Each is a stub that calls
`show()` in the module of the same name in `annotator.ui`, where the page's code lives."""
