"""Renderers: word diffs and reports as Markdown, HTML and Rich text.
"""
