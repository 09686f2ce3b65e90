"""Stores and adapters: project folders, corpus files, ingest, alignment files, git.

Everything that touches the file system or git lives here, around the pure core.
"""
