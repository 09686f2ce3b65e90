"""policydiff: compare successive Chinese policy documents.

The package is a pure core (documents, segmentation, quantities, alignment, diff,
targets) with thin adapters around it (git store, CLI, TUI, report).
"""

__version__ = "0.1.0"
