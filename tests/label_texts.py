"""Every quoted string of the labelled sets (tests/labels): texts a segmenter or a cache
must treat exactly as the corpus, used by the token and segmenter equality tests."""

from __future__ import annotations

from pathlib import Path

LABELS = Path(__file__).resolve().parent / "labels"


def labelled_strings(names: tuple[str, ...] = ("targets.yaml", "themes.yaml")) -> list[str]:
    """The strings longer than one character in the label files ``names``, any depth."""
    from ruamel.yaml import YAML

    out: list[str] = []
    for name in names:
        stack = [YAML(typ="safe").load((LABELS / name).read_text(encoding="utf-8"))]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                stack.extend(item.values())
            elif isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, str) and len(item) > 1:
                out.append(item)
    return out
