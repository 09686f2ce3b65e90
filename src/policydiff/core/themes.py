"""Theme definitions (``alignments/themes.yaml``): what each theme is about.

Reviewers edit this file; the store lists themes in its order and the suggestion
engine reads each theme's terms.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from policydiff.core.alignment import Theme

THEMES_FILE = "themes.yaml"


def themes_from_data(data: Mapping[str, Any] | None) -> list[Theme]:
    """Themes of a schema-valid ``themes.yaml`` document, in file order."""
    themes = []
    for item in (data or {}).get("themes") or []:
        themes.append(Theme(
            id=str(item["id"]),
            name_zh=str(item["name_zh"]),
            name_en=str(item["name_en"]),
            description=str(item.get("description") or ""),
            terms=[str(t) for t in item.get("terms") or []],
        ))
    return themes
