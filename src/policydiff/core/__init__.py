"""The core: documents, segmentation, quantities, word diff, anchors, targets, suggestions.

Pure computation on text and data. It knows nothing of the terminal, files, git or
YAML; the ``store`` package reads and writes, ``render`` formats, the front ends call
the façade in :mod:`policydiff.api`.
"""
