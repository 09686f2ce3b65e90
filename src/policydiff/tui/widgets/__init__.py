"""Widgets of the TUI, one module each; they talk to their screen through messages."""
