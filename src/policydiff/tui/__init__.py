"""The terminal UI: a Textual app over the corpus, the alignment store, diffs and targets.

Screens and widgets only display what the core computes; :mod:`.workspace` is the one
adapter that loads the project and turns failures into banner lines instead of
tracebacks. Textual is imported only when the UI runs.
"""
